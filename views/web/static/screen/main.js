/* The projector page: draws the session state the server pushes on /screen; sends nothing.
 *
 * Participant text reaches the DOM only as text (dom.js). The page (page.js) is split into
 * panels planned per round (plan.js); a panel is rebuilt only when the data it shows
 * changed, and the Plotly chart only when the item or the window's size changes, so ten
 * updates a second stay cheap. */

import { TRANSPORTS } from "../socket_options.js";
import { LANG } from "./locale.js";
import { ScreenPage } from "./page.js";

const page = new ScreenPage();
const windowSize = () => `${window.innerWidth}x${window.innerHeight}`;
page.chartSize = windowSize();

// Fonts of the chart follow the viewport: redraw it (only it) after a resize.
let resizeTimer = null;
window.addEventListener("resize", () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => page.resized(windowSize()), 200);
});

const reconnecting = document.getElementById("reconnecting");
const socket = window.io("/screen", { auth: { language: LANG }, ...TRANSPORTS });
socket.on("connect", () => { reconnecting.hidden = true; });
socket.on("disconnect", () => { reconnecting.hidden = false; });
socket.on("connect_error", () => { reconnecting.hidden = false; });
socket.on("screen", (state) => {
  try {
    page.render(state);
  } catch (error) {
    // A drawing bug must not stop the next update from drawing.
    console.error(error);
  }
});
// Read by the browser tests: how often the page and the chart were drawn.
window.duidingScreen = page.stats;
