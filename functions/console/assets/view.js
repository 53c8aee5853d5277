// What every part of the page shares: finding elements, showing and hiding them, the two
// announcement lines (status and alert), building list items with text only (never markup),
// and the signed-in session, kept in sessionStorage only (gone when the tab closes).

import { inWords } from "./words.js";

export const $ = (id) => document.getElementById(id);

export function show(id, visible = true) {
  $(id).hidden = !visible;
}

export function notice(text) {
  $("problem").textContent = "";
  $("notice").textContent = text;
}

export function problem(fault) {
  $("notice").textContent = "";
  $("problem").textContent = typeof fault === "string" ? fault : inWords(fault);
}

export function clearMessages() {
  $("notice").textContent = "";
  $("problem").textContent = "";
}

// A list item: the text, then buttons [label, accessible name, action].
export function item(text, buttons = []) {
  const li = document.createElement("li");
  const span = document.createElement("span");
  span.textContent = text;
  li.append(span);
  for (const [label, name, action] of buttons) {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = label;
    button.setAttribute("aria-label", name);
    button.addEventListener("click", action);
    li.append(button);
  }
  return li;
}

// Runs an action with its button disabled, and any fault announced: no double submits.
export async function busy(button, action) {
  button.disabled = true;
  try {
    await action();
  } catch (fault) {
    if (fault && fault.status !== undefined) problem(fault);
    else problem(String(fault && fault.message ? fault.message : fault));
  } finally {
    button.disabled = false;
  }
}

const KEY = "rax-mfa-console";

export const session = {
  get() {
    try {
      return JSON.parse(sessionStorage.getItem(KEY));
    } catch {
      return null;
    }
  },
  set(value) {
    sessionStorage.setItem(KEY, JSON.stringify(value));
  },
  clear() {
    sessionStorage.removeItem(KEY);
  },
};
