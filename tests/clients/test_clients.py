"""The client stage of `make test`: the client libraries people run, from PyPI (pinned in
requirements-clients.txt), against the local API started by scripts/test.sh.

- keystoneauth1: `identity.v2.Password` gets a token and resolves endpoints from the catalog,
  scoped to the default tenant or a named one.
- rackspaceauth: `Password`, `APIKey` and `Token` authenticate; `validate()` works, on a plain
  session (a token checking itself) and on a validator's session.
- keystone-rxt: its `RXTPassword` / `RXTTOTP` Keystone auth plugins, loaded the way Keystone loads
  them and run by Keystone's own auth dispatcher, complete logins against this service for a user
  without MFA, an SMS user (the passcode read from what SNS delivered), an OTP user and an
  API-key user. Only the part that writes to Keystone's database is replaced
  (`keystone.auth.plugins.mapped.handle_unscoped_token`); keystone-rxt 0.0.5 hard-codes the
  Rackspace URL, so its module constant is pointed here. keystone-rxt 0.0.5 calls a Keystone
  function with the signature it had up to keystone 28, hence keystone==28.1.0.

Environment (scripts/test.sh): LOCAL_API_URL, MFA_ADMIN, EMULATOR_URL, SECRETS_FILE; the
helpers are tests/local_stack.py's.
"""

import os
import secrets
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from local_stack import (  # noqa: E402  (tests/local_stack.py, shared with tests/browser)
    API, User, expect, mfa_admin, new_domain, next_code_to, remember, sms_to, totp)

AUTH_URL = API + "/v2.0"


def with_sms_mfa(user):
    """A verified phone and MFA on with SMS; returns the phone's E.164 number."""
    line = secrets.randbelow(10_000)
    number, e164 = f"+1 210-401-{line:04d}", f"+1210401{line:04d}"
    phone = expect(201, "POST", user.mf + "/mobile-phones",
                   {"RAX-AUTH:mobilePhone": {"number": number}}, user.token)
    phone_id = phone["RAX-AUTH:mobilePhone"]["id"]
    seen = len(sms_to(e164))
    expect(202, "POST", f"{user.mf}/mobile-phones/{phone_id}/verificationcode", token=user.token)
    pin = next_code_to(e164, seen)
    expect(204, "POST", f"{user.mf}/mobile-phones/{phone_id}/verify",
           {"RAX-AUTH:verificationCode": {"code": pin}}, user.token)
    expect(204, "PUT", user.mf, {"RAX-AUTH:multiFactor": {"enabled": True}}, user.token)
    return e164


def with_otp_mfa(user):
    """A verified authenticator app and MFA on with OTP; returns its secret."""
    device = expect(201, "POST", user.mf + "/otp-devices",
                    {"RAX-AUTH:otpDevice": {"name": "clients"}}, user.token)["RAX-AUTH:otpDevice"]
    secret = device["keyUri"].split("secret=")[1].split("&")[0]
    remember(secret)
    expect(204, "POST", f"{user.mf}/otp-devices/{device['id']}/verify",
           {"RAX-AUTH:verificationCode": {"code": totp(secret)}}, user.token)
    expect(204, "PUT", user.mf, {"RAX-AUTH:multiFactor": {"enabled": True, "factorType": "OTP"}},
           user.token)
    return secret


def with_api_key(user):
    reset = f"/v2.0/users/{user.id}/OS-KSADM/credentials/RAX-KSKEY:apiKeyCredentials/RAX-AUTH/reset"
    key = expect(200, "POST", reset, token=user.token)["RAX-KSKEY:apiKeyCredentials"]["apiKey"]
    remember(key)
    return key


class KeystoneAuth(unittest.TestCase):
    def test_a_password_login_resolves_endpoints_from_the_catalog(self):
        from keystoneauth1 import session
        from keystoneauth1.identity import v2

        domain = new_domain()
        user = User(domain)
        auth = v2.Password(auth_url=AUTH_URL, username=user.username, password=user.password)
        sess = session.Session(auth=auth)
        token = sess.get_token()
        remember(token)
        access = auth.get_access(sess)
        self.assertEqual((access.user_id, access.project_id), (user.id, domain))
        self.assertEqual(
            sess.get_endpoint(service_type="compute", interface="public", region_name="ORD"),
            f"https://ord.servers.example.com/v2/{domain}")
        self.assertEqual(
            sess.get_endpoint(service_type="compute", interface="internal", region_name="ORD"),
            f"https://ord.servers.internal.example.com/v2/{domain}")
        self.assertEqual(
            sess.get_endpoint(service_type="object-store", region_name="ORD"),
            f"https://storage.ord.example.com/v1/MossoCloudFS_{domain}")

    def test_a_login_scoped_to_another_tenant_gets_its_endpoints(self):
        from keystoneauth1 import session
        from keystoneauth1.identity import v2

        domain = new_domain()
        user = User(domain)
        tenant = domain + "-files"
        mfa_admin("add-tenant", "--domain", domain, "--id", tenant, "--name", "Files")
        auth = v2.Password(auth_url=AUTH_URL, username=user.username, password=user.password,
                           tenant_name="Files")
        sess = session.Session(auth=auth)
        remember(sess.get_token())
        self.assertEqual(auth.get_access(sess).project_id, tenant)
        self.assertEqual(sess.get_endpoint(service_type="compute", region_name="DFW"),
                         f"https://dfw.servers.example.com/v2/{tenant}")


class RackspaceAuth(unittest.TestCase):
    def test_password_api_key_and_token_authenticate_and_tokens_validate(self):
        from keystoneauth1 import exceptions, session
        from rackspaceauth import v2 as rax

        domain = new_domain()
        user = User(domain)
        key = with_api_key(user)
        base = AUTH_URL + "/"  # validate() appends "tokens/<id>" to it
        by_password = session.Session(
            auth=rax.Password(username=user.username, password=user.password, auth_url=base))
        by_key = session.Session(auth=rax.APIKey(username=user.username, api_key=key,
                                                 auth_url=base))
        tokens = {}
        for name, sess in (("password", by_password), ("api key", by_key)):
            tokens[name] = sess.get_token()
            remember(tokens[name])
            self.assertEqual(sess.get_endpoint(service_type="compute", region_name="ORD"),
                             f"https://ord.servers.example.com/v2/{domain}", name)
        by_token = session.Session(auth=rax.Token(token=tokens["password"], tenant_id=domain,
                                                  auth_url=base))
        tokens["token"] = by_token.get_token()
        remember(tokens["token"])
        self.assertNotEqual(tokens["token"], tokens["password"])
        # validate() on a plain session: each token checks itself.
        for name, token in tokens.items():
            access = rax.validate(session.Session(), token, auth_url=base)["access"]
            self.assertEqual(access["user"]["id"], user.id, name)
            self.assertEqual(access["token"]["tenant"]["id"], domain, name)
        by_key_access = rax.validate(session.Session(), tokens["api key"], auth_url=base)
        self.assertEqual(by_key_access["access"]["token"]["RAX-AUTH:authenticatedBy"], ["APIKEY"])
        # On a validator's session keystoneauth sends the validator's token instead.
        validator = User(domain, "identity:default", "identity:validate-token")
        as_service = session.Session(
            auth=rax.Password(username=validator.username, password=validator.password,
                              auth_url=base))
        access = rax.validate(as_service, tokens["password"], auth_url=base)["access"]
        self.assertEqual(access["user"]["name"], user.username)
        with self.assertRaises(exceptions.NotFound):
            rax.validate(as_service, "0123456789abcdef0123456789abcdef", auth_url=base)


class KeystoneRxt(unittest.TestCase):
    """keystone-rxt's plugins inside Keystone's auth dispatcher, one Keystone login each."""

    @classmethod
    def setUpClass(cls):
        import keystone.conf

        conf = keystone.conf.CONF
        keystone.conf.configure()
        conf(args=[], project="keystone", default_config_files=[])
        conf.set_override("methods", ["password", "token", "totp"], group="auth")
        keystone.conf.auth.setup_authentication()  # registers [auth] password/totp
        conf.set_override("password", "rxt", group="auth")
        conf.set_override("totp", "rxt", group="auth")
        # The plugin keeps the MFA session id between Keystone requests in Keystone's cache:
        # it must be a real one (configured before the plugin is imported).
        conf.set_override("enabled", True, group="cache")
        conf.set_override("backend", "dogpile.cache.memory", group="cache")

        import flask
        import keystone_rxt.rackspace as rxt
        from keystone.auth import core
        from keystone.auth.plugins import mapped
        from keystone.common import provider_api

        rxt.RACKPSACE_IDENTITY_V2 = AUTH_URL + "/tokens"  # sic: the module's own spelling
        cls.rxt = rxt
        cls.logins = []

        def shadow_nothing(auth_payload, *_apis):
            """Keystone's federated-user mapping, which writes users, projects and grants to its
            database, replaced: the assertion keystone-rxt built from our answer is kept."""
            assertion = {k: v for k, v in flask.request.environ.items() if k.startswith("RXT_")}
            cls.logins.append(assertion)
            return {"user_id": "shadow-" + assertion["RXT_UserName"], "group_ids": [],
                    "identity_provider": auth_payload["identity_provider"],
                    "protocol": auth_payload["protocol"]}

        mapped.handle_unscoped_token = shadow_nothing
        # The plugin passes these Keystone APIs to the function above: they must exist.
        for name in ("resource_api", "federation_api", "identity_api", "assignment_api",
                     "role_api"):
            provider_api.ProviderAPIs._register_provider_api(name, object())
        core.load_auth_methods()
        cls.app = flask.Flask("rxt-client-stage")

    def setUp(self):
        # Nothing carried between tests: the plugin caches answers (60 s) and session ids.
        for region in (self.rxt.RXT_SESSION_CACHE, self.rxt.RXT_SERVICE_CACHE):
            region.invalidate()
        self.logins.clear()

    def keystone_login(self, methods):
        """One Keystone `POST /v3/auth/tokens` worth of auth dispatch, for methods such as
        {"password": {...}, "totp": {...}} on the Rackspace domain."""
        from keystone.api._shared import authentication
        from keystone.auth import core
        from keystone.common import context

        auth = {"identity": {"methods": list(methods), **methods}}
        environ = {context.REQUEST_CONTEXT_ENV: context.RequestContext()}
        with self.app.test_request_context("/v3/auth/tokens", method="POST",
                                           environ_base=environ):
            auth_context = core.AuthContext(method_names=[], bind={})
            authentication.authenticate(core.AuthInfo.create(auth=auth), auth_context)
            return dict(auth_context)

    @staticmethod
    def method(user, **secret):
        return {"user": {"name": user.username, "domain": {"name": "rackspace_cloud_domain"},
                         **secret}}

    def assert_logged_in(self, user, domain, auth_context):
        self.assertEqual(auth_context["user_id"], "shadow-" + user.username)
        assertion = self.logins[-1]
        self.assertEqual(assertion["RXT_UserName"], user.username)
        self.assertEqual(assertion["RXT_DomainID"], domain)
        self.assertIn(f"{domain}_Flex", assertion["RXT_TenantID"])

    def test_a_user_without_mfa(self):
        domain = new_domain()
        user = User(domain)
        done = self.keystone_login({"password": self.method(user, password=user.password)})
        self.assert_logged_in(user, domain, done)
        self.assertEqual(self.logins[-1]["RXT_orgPersonType"], "default")

    def test_an_sms_user_in_two_keystone_requests(self):
        from keystone import exception

        domain = new_domain()
        user = User(domain)
        e164 = with_sms_mfa(user)
        seen = len(sms_to(e164))
        # 1: the password; we answer the OS-MF challenge and text a passcode.
        with self.assertRaises(exception.Unauthorized):
            self.keystone_login({"password": self.method(user, password=user.password)})
        # 2: the passcode the user read on the phone.
        code = next_code_to(e164, seen)
        done = self.keystone_login({"totp": self.method(user, passcode=code)})
        self.assert_logged_in(user, domain, done)

    def test_an_otp_user_in_one_keystone_request(self):
        domain = new_domain()
        user = User(domain)
        secret = with_otp_mfa(user)
        code = totp(secret, time.time() + 30)  # the device's last step is now's
        remember(code)
        done = self.keystone_login({"password": self.method(user, password=user.password),
                                    "totp": self.method(user, passcode=code)})
        self.assert_logged_in(user, domain, done)

    def test_an_api_key_user(self):
        domain = new_domain()
        user = User(domain)
        key = with_api_key(user)
        # keystone-rxt takes a 32-hex "password" for an API key.
        done = self.keystone_login({"password": self.method(user, password=key)})
        self.assert_logged_in(user, domain, done)

    def test_a_wrong_password_fails(self):
        from keystone import exception

        user = User(new_domain())
        with self.assertRaises(exception.Unauthorized):
            self.keystone_login({"password": self.method(user, password="Wrong-" + user.password)})
        self.assertEqual(self.logins, [])


if __name__ == "__main__":
    unittest.main(verbosity=2)
