"""The session domain: packs, rounds, participants, responses, actions and storage."""
