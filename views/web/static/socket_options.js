/* How both pages connect to the room (Socket.IO).
 *
 * Websocket from the start: one TCP connection to one process (docs/deployment.md), no
 * polling requests first and no upgrade after. Only where a websocket cannot be made (a
 * proxy that refuses it) does the client try HTTP long-polling next: socket.io-client 4.8's
 * tryAllTransports moves on to the next transport listed when one fails to open. */

export const TRANSPORTS = { transports: ["websocket", "polling"], tryAllTransports: true };
