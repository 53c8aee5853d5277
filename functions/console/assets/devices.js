// What the three kinds of device share on the page: deleting one is the service's DELETE on
// its path, then the view as the service now has it, then a word of what went.

import { expect } from "./api.js";
import { notice, busy } from "./view.js";

export function deleteDevice(button, context, path, what) {
  return busy(button, async () => {
    await expect(204, "DELETE", path, { token: context.session.token });
    await context.reload();
    notice(`${what} deleted.`);
  });
}
