/* The phone's connection to the room: Socket.IO on /phone. It reconnects by itself, again
 * after the server asked it to go (a restarting server does), and at once when the phone
 * wakes up or comes back online. */

import { TRANSPORTS } from "../socket_options.js";

const ACK_TIMEOUT = 10000;

/** Connect; `auth()` gives what to present on every (re)connect, `on` the handlers:
 * connected, disconnected, failed, state(data), targets(change), wake. */
export function openConnection(auth, on) {
  const socket = window.io("/phone", {
    // A function, so every reconnect presents the participant id we have by then.
    auth: (cb) => cb(auth()),
    reconnectionDelayMax: 5000,
    ...TRANSPORTS,
  });
  socket.on("connect", on.connected);
  socket.on("disconnect", (reason) => {
    on.disconnected();
    // After a disconnect the server asked for, socket.io does not retry by itself; a
    // restarting server asks exactly that, so try again (with a pause).
    if (reason === "io server disconnect") setTimeout(() => socket.connect(), 1000);
  });
  socket.on("connect_error", on.failed);
  socket.on("state", on.state);
  socket.on("targets", on.targets);

  const wake = () => {
    if (!socket.connected) socket.connect();
    on.wake();
  };
  window.addEventListener("online", wake);
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) wake();
  });
  return socket;
}

/** Emit `event` and call `done(err, reply)`; err when no reply came within ACK_TIMEOUT. */
export function call(socket, event, data, done) {
  socket.timeout(ACK_TIMEOUT).emit(event, data, done);
}
