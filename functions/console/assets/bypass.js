// Journey 7: bypass codes, shown once, with a text-file download and a warning. They leave the
// page when the view is left or the session ends; the service keeps only their hashes.

import { expect, mfaPath } from "./api.js";
import { $, show, notice, busy, clearMessages } from "./view.js";

let download = null; // the object URL of the text file, revoked when the codes are hidden

export function hide() {
  $("bypass-list").replaceChildren();
  if (download) URL.revokeObjectURL(download);
  download = null;
  $("bypass-download").removeAttribute("href");
  show("bypass-codes", false);
}

export function start(currentSession) {
  $("bypass").addEventListener("click", () => busy($("bypass"), async () => {
    clearMessages();
    const session = currentSession();
    const answer = await expect(200, "POST", `${mfaPath(session.userId)}/bypass-codes`, {
      body: { "RAX-AUTH:bypassCodes": {} },
      token: session.token,
    });
    const codes = answer.body["RAX-AUTH:bypassCodes"].codes;
    hide();
    $("bypass-list").replaceChildren(...codes.map((code) => {
      const li = document.createElement("li");
      li.textContent = code;
      return li;
    }));
    const text = `Bypass codes for ${session.username}: each works once.\n${codes.join("\n")}\n`;
    download = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
    $("bypass-download").href = download;
    show("bypass-codes");
    notice(`${codes.length} bypass codes made. Save them now: they are not shown again.`);
  }));
}
