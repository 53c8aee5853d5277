"""The browser stage of `make test`: the security page (`GET /console`) in headless Chromium
(Debian's chromium and chromium-driver, driven by Selenium), through journeys 1-8 against the
local stack that scripts/test.sh started. Controls are found by their accessible names, as
Chromium computes them, so a control without its label is a failure. Texts are read from the
emulator, TOTP codes computed from the secret the page shows, and security keys are Chromium's
virtual authenticator (the WebDriver virtual authenticator API). Each journey's end state is
photographed at 375 and 1280 px wide under target/browser/.

Environment: that of tests/local_stack.py, and BROWSER_SHOTS (the screenshot folder).
"""

import json
import os
import secrets
import shutil
import sys
import time
import unittest

from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.common.virtual_authenticator import (
    Protocol, Transport, VirtualAuthenticatorOptions)
from selenium.webdriver.support.ui import WebDriverWait

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from local_stack import (  # noqa: E402
    API, User, call, new_domain, next_code_to, remember, sms_to, totp)

# WebAuthn's relying party is `localhost`: the page must be opened by that name.
PAGE = API.replace("127.0.0.1", "localhost") + "/console"
SHOTS = os.environ.get("BROWSER_SHOTS", "target/browser")
WIDTHS = (375, 1280)
CONTROLS = "button, input, a[href], select, textarea"


def browser():
    os.environ.setdefault("SE_OFFLINE", "true")  # never download a driver: Debian's is used
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     "--window-size=1280,900", "--lang=en-US"):
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver")))
    driver.implicitly_wait(0)
    return driver


def phone_number():
    line = secrets.randbelow(10_000)
    return f"+1 210-402-{line:04d}", f"+1210402{line:04d}"


class Console(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        os.makedirs(SHOTS, exist_ok=True)
        cls.driver = browser()

    @classmethod
    def tearDownClass(cls):
        cls.driver.quit()

    def setUp(self):
        self.driver.delete_all_cookies()
        self.driver.get(PAGE)
        self.driver.execute_script("sessionStorage.clear()")
        self.driver.get(PAGE)
        self.wait_for(lambda d: self.visible("sign-in"), "the sign-in form")

    # -- finding and using controls by their accessible names --------------------------------

    def wait_for(self, condition, what, seconds=15):
        try:
            return WebDriverWait(self.driver, seconds, poll_frequency=0.05).until(
                lambda d: condition(d))
        except TimeoutException:
            raise AssertionError(
                f"timed out waiting for {what}; notice: {self.text('notice')!r}, "
                f"problem: {self.text('problem')!r}") from None

    def control(self, name):
        """The one displayed control whose computed accessible name is `name`."""
        def found(driver):
            matches = [e for e in driver.find_elements(By.CSS_SELECTOR, CONTROLS)
                       if e.is_displayed() and e.accessible_name == name]
            return matches[0] if len(matches) == 1 else False
        return self.wait_for(found, f"exactly one control named {name!r}")

    def fill(self, name, text):
        field = self.control(name)
        field.clear()
        field.send_keys(text)

    def press(self, name):
        self.wait_for(lambda d: self.control(name).is_enabled(), f"{name!r} enabled")
        self.control(name).click()

    def text(self, element_id):
        return self.driver.find_element(By.ID, element_id).text

    def visible(self, element_id):
        return self.driver.find_element(By.ID, element_id).is_displayed()

    def says(self, element_id, words):
        self.wait_for(lambda d: words in self.text(element_id), f"#{element_id} to say {words!r}")

    def stored(self):
        """What the page keeps in sessionStorage: {token, userId, username}, or None."""
        stored = self.driver.execute_script("return sessionStorage.getItem('rax-mfa-console')")
        return None if stored is None else json.loads(stored)

    def shot(self, name):
        """The page as it is, at both widths; at 375 px nothing may be wider than the screen."""
        for width in WIDTHS:
            self.driver.set_window_size(width, 900)
            height = self.driver.execute_script("return document.documentElement.scrollHeight")
            self.driver.set_window_size(width, min(max(height + 140, 600), 4000))
            overflow = self.driver.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
            self.assertLessEqual(overflow, 0, f"{name}: wider than {width} px")
            self.driver.save_screenshot(os.path.join(SHOTS, f"{name}-{width}.png"))
        self.driver.set_window_size(1280, 900)

    def every_control_is_named(self):
        for element in self.driver.find_elements(By.CSS_SELECTOR, CONTROLS):
            if element.is_displayed():
                self.assertTrue(element.accessible_name.strip(),
                                f"a control without a name: {element.get_attribute('outerHTML')}")

    # -- the journeys' shared steps -------------------------------------------------------

    def sign_in(self, user, by_keyboard=False):
        """Journey 1's first step; returns once signed in or challenged."""
        if by_keyboard:
            field = self.control("Username")
            field.click()
            field.send_keys(user.username, Keys.TAB, user.password, Keys.ENTER)
        else:
            self.fill("Username", user.username)
            self.fill("Password", user.password)
            self.press("Sign in")
        self.wait_for(lambda d: self.visible("security") or self.visible("second-step"),
                      "the security view or the second step")

    def signed_in(self):
        self.wait_for(lambda d: self.visible("security"), "the security view")
        self.says("notice", "Signed in as")
        remember(self.stored()["token"])

    def sign_out(self):
        stored = self.stored()
        self.press("Sign out")
        self.says("notice", "You are signed out.")
        self.assertIsNone(self.stored(), "the token left sessionStorage")
        status, _, _ = call("GET", "/v2.0/users/" + stored["userId"], token=stored["token"])
        self.assertEqual(status, 401, "the token is revoked at the service")

    def turn_on(self, factor_words):
        self.control(factor_words).click()
        self.press("Turn on two-step verification")
        self.says("notice", "Two-step verification is on. Sign in again")
        self.assertTrue(self.visible("sign-in"))

    # -- journeys -----------------------------------------------------------------------------

    def test_text_messages_bypass_codes_and_sign_out(self):
        """Journeys 1, 2, 3, 6 (SMS), 7 and 8."""
        user = User(new_domain())
        self.sign_in(user, by_keyboard=True)
        self.signed_in()
        self.says("mfa-state", "Two-step verification is off")
        self.every_control_is_named()
        self.shot("2-your-security")

        # 3: add a phone, replace it with another before verifying, verify the second.
        first, _ = phone_number()
        self.fill("Phone number", first)
        self.press("Add phone")
        self.says("notice", "added")
        number, e164 = phone_number()
        self.fill("Phone number", number)
        self.press("Add phone")
        self.says("notice", "added")
        self.assertEqual(len(self.driver.find_elements(By.CSS_SELECTOR, "#phones li")), 1)
        seen = len(sms_to(e164))
        self.press("Send code")
        self.says("notice", "Code sent")
        self.fill("Verification code", next_code_to(e164, seen))
        self.press("Verify")
        self.says("notice", "verified")
        self.says("phones", "verified")
        self.shot("3-phone-verified")

        # 6: on, with text messages; the page's password-only token ends with it.
        self.turn_on("Text message")
        self.shot("6-mfa-on")

        # 1: the second step with the texted passcode; a wrong one first, in plain words.
        seen = len(sms_to(e164))
        self.sign_in(user)
        self.says("second-step-hint", "text message")
        self.fill("Passcode", "000000")
        self.press("Continue")
        self.says("problem", "That did not work")
        self.fill("Passcode", next_code_to(e164, seen))
        self.shot("1-second-step")
        self.press("Continue")
        self.signed_in()
        self.says("mfa-state", "confirm with your text message")

        # 7: bypass codes, once, with a download and a warning.
        self.press("Generate bypass codes")
        self.says("notice", "bypass codes made")
        codes = [li.text for li in self.driver.find_elements(By.CSS_SELECTOR, "#bypass-list li")]
        self.assertTrue(codes and all(c.isdigit() and len(c) == 8 for c in codes), codes)
        for code in codes:
            remember(code)
        self.assertIn("shown only once", self.text("bypass-codes"))
        link = self.control("Download as a text file")
        self.assertTrue(link.get_attribute("href").startswith("blob:"))
        self.assertEqual(link.get_attribute("download"), "bypass-codes.txt")
        self.shot("7-bypass-codes")

        # 8: sign out revokes the token; then a bypass code is a second step too.
        self.sign_out()
        self.assertEqual(self.driver.find_elements(By.CSS_SELECTOR, "#bypass-list li"), [])
        self.shot("8-signed-out")
        self.sign_in(user)
        self.fill("Passcode", codes[0])
        self.press("Continue")
        self.signed_in()

        # 6 again: off, then on while signed in with a second factor: that token is revoked too.
        self.press("Turn off two-step verification")
        self.says("notice", "Two-step verification is off.")
        with_second_factor = self.stored()
        self.turn_on("Text message")
        status, _, _ = call("GET", "/v2.0/users/" + with_second_factor["userId"],
                            token=with_second_factor["token"])
        self.assertEqual(status, 401, "turning MFA on revoked the page's token")
        seen = len(sms_to(e164))
        self.sign_in(user)
        self.fill("Passcode", next_code_to(e164, seen))
        self.press("Continue")
        self.signed_in()

        # 6 and 3: off again, then the phone can go.
        self.press("Turn off two-step verification")
        self.says("notice", "Two-step verification is off.")
        self.press(f"Delete phone {number}")
        self.says("notice", "deleted")
        self.says("phones", "No phone yet.")
        self.sign_out()

    def test_authenticator_apps_and_the_lockout(self):
        """Journeys 4, 6 (OTP) and 1's lockout message."""
        user = User(new_domain())
        self.sign_in(user)
        self.signed_in()
        self.fill("Device name", "Work phone")
        self.press("Add authenticator app")
        self.says("notice", "enter the code it shows")
        qr = self.driver.find_element(By.ID, "otp-qr")
        self.assertTrue(qr.get_attribute("src").startswith("data:image/png;base64,"))
        self.assertGreater(self.driver.execute_script("return arguments[0].naturalWidth", qr), 0)
        secret = self.text("otp-secret")
        remember(secret)
        self.assertRegex(secret, r"^[A-Z2-7]{16,}$")
        self.fill("Verification code", totp(secret))
        self.press("Verify")
        self.says("notice", "Authenticator app Work phone verified.")
        self.shot("4-authenticator-verified")

        self.turn_on("Authenticator app")
        self.sign_in(user)
        self.says("second-step-hint", "authenticator app")
        self.fill("Passcode", totp(secret, time.time() + 30))  # the verifying step is spent
        self.press("Continue")
        self.signed_in()

        # The factor's last device stays; a second, unverified one can go.
        self.press("Delete authenticator app Work phone")
        self.says("problem", "last device of your second step")
        self.fill("Device name", "Spare")
        self.press("Add authenticator app")
        self.says("notice", "enter the code it shows")
        remember(self.text("otp-secret"))
        self.press("Delete authenticator app Spare")
        self.says("notice", "Authenticator app Spare deleted.")
        self.assertFalse(self.visible("otp-verify"))
        self.sign_out()

        # Three wrong codes lock the account: said plainly, with what to do.
        self.sign_in(user)
        for _ in range(2):
            self.fill("Passcode", "000000")
            self.press("Continue")
            self.says("problem", "That did not work")
        self.fill("Passcode", "000000")
        self.press("Continue")
        self.says("problem", "Your account is locked after too many wrong codes.")
        self.assertEqual(self.driver.find_element(By.ID, "problem").get_attribute("role"), "alert")
        self.assertTrue(self.visible("password-form"))
        self.shot("1-locked")

    def test_security_keys(self):
        """Journeys 5, 6 (WebAuthn, switching factor, off) and 1 with a security key."""
        self.driver.add_virtual_authenticator(VirtualAuthenticatorOptions(
            protocol=Protocol.CTAP2, transport=Transport.USB, has_resident_key=True,
            has_user_verification=True, is_user_consenting=True, is_user_verified=True))
        try:
            self.security_key_journey()
        finally:
            for credential in self.driver.get_credentials():
                remember(credential.id.rstrip("="))  # base64url, as the service writes it
            self.driver.remove_virtual_authenticator()

    def security_key_journey(self):
        user = User(new_domain())
        self.sign_in(user)
        self.signed_in()
        self.fill("Key name", "YubiKey 5C")
        self.press("Add security key")
        self.says("notice", "Security key YubiKey 5C added and verified.")
        self.says("keys", "YubiKey 5C — verified")
        self.assertEqual(len(self.driver.get_credentials()), 1)
        self.shot("5-security-key-added")

        self.turn_on("Security key")
        self.sign_in(user)
        self.says("second-step-hint", "security key")
        self.press("Use security key")
        self.signed_in()
        self.says("mfa-state", "confirm with your security key")

        # Switch to an authenticator app, then turn two-step verification off.
        self.fill("Device name", "Backup app")
        self.press("Add authenticator app")
        self.says("notice", "enter the code it shows")
        secret = self.text("otp-secret")
        remember(secret)
        self.fill("Verification code", totp(secret))
        self.press("Verify")
        self.says("notice", "verified")
        self.control("Authenticator app").click()
        self.press("Use this method")
        self.says("notice", "You now confirm with your authenticator app.")
        self.says("mfa-state", "confirm with your authenticator app")
        self.shot("6-factor-switched")
        self.press("Turn off two-step verification")
        self.says("notice", "Two-step verification is off.")

        # 5: delete the key.
        self.press("Delete security key YubiKey 5C")
        self.says("notice", "Security key YubiKey 5C deleted.")
        self.says("keys", "No security key yet.")
        self.shot("5-security-key-deleted")
        self.sign_out()


if __name__ == "__main__":
    unittest.main()
