// The page's wiring: signed out it shows the sign-in; signed in, "Your security". Journey 8,
// sign-out, revokes the token at the service (DELETE /v2.0/tokens) before forgetting it, so a
// copied token is worthless too. A token the service no longer accepts also ends the session.

import { call } from "./api.js";
import { $, show, notice, busy, session } from "./view.js";
import * as signin from "./signin.js";
import * as security from "./security.js";
import * as bypass from "./bypass.js";

function signedOut(message) {
  session.clear();
  bypass.hide();
  show("security", false);
  show("sign-out", false);
  show("who", false);
  signin.restart(message);
}

async function signedIn(value) {
  session.set(value);
  show("sign-in", false);
  show("security");
  show("sign-out");
  show("who");
  try {
    await security.load(value);
  } catch (fault) {
    // A revoked or expired token: sign in again.
    if (fault.status === 401) return signedOut("Your session has ended. Sign in again.");
    throw fault;
  }
  notice(`Signed in as ${value.username}.`);
  $("security-title").focus();
}

async function signOut() {
  const current = session.get();
  if (current) await call("DELETE", "/v2.0/tokens", { token: current.token });
  signedOut();
  notice("You are signed out.");
}

signin.start((value) => signedIn(value).catch((fault) => signedOut(fault)));
security.start(signedOut);
bypass.start(() => session.get());
$("sign-out").addEventListener("click", () => busy($("sign-out"), signOut));
$("security-title").tabIndex = -1;

const saved = session.get();
if (saved) signedIn(saved).catch(() => signedOut());
else signin.restart();
