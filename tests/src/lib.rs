//! Harness for the black-box tests: the gateways started by `make test` (scripts/test.sh),
//! fixtures created with the real `mfa-admin`, and SMS read from what SNS delivered.

use serde_json::{json, Value};
use std::process::Command;
use std::time::{Duration, Instant};

pub mod sms;
pub mod template;
pub mod webauthn;
pub mod xml;

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!(
            "{name} is not set: the integration tests run against the local stack; use `make test`"
        )
    })
}

/// Notes a secret the tests saw, for the log scan `make test` runs after the tests.
pub fn remember_secret(secret: &str) {
    use std::io::Write;
    let Ok(path) = std::env::var("SECRETS_FILE") else {
        return;
    };
    if secret.len() < 6 {
        return;
    }
    // One write per line: concurrent tests append to the same file, and an O_APPEND write is
    // atomic only as a whole (writeln! may split the line and the newline into two writes).
    if let Ok(mut f) = std::fs::OpenOptions::new().append(true).open(path) {
        let _ = f.write_all(format!("{secret}\n").as_bytes());
    }
}

/// Every secret a request or its answer carries.
fn remember_secrets_of(headers: &[(String, String)], body: Option<&[u8]>, reply: &Reply) {
    for (name, value) in headers {
        if name.eq_ignore_ascii_case("x-auth-token") || name.eq_ignore_ascii_case("x-sessionid") {
            remember_secret(value);
        }
    }
    if let Some(request) = body.and_then(|b| serde_json::from_slice::<Value>(b).ok()) {
        let auth = &request["auth"];
        for v in [
            &auth["passwordCredentials"]["password"],
            &auth["RAX-AUTH:passcodeCredentials"]["passcode"],
            &auth["RAX-KSKEY:apiKeyCredentials"]["apiKey"],
            &auth["token"]["id"],
        ] {
            if let Some(s) = v.as_str() {
                remember_secret(s);
            }
        }
        // WebAuthn answers: the credential id and every signed part (the public key is in the
        // attestation object; `webauthn::enrolled` notes it on its own too).
        for credential in [
            &request["RAX-AUTH:webAuthnCredential"],
            &auth["RAX-AUTH:webAuthnCredentials"],
        ] {
            let response = &credential["response"];
            for v in [
                &credential["id"],
                &response["clientDataJSON"],
                &response["attestationObject"],
                &response["authenticatorData"],
                &response["signature"],
            ] {
                if let Some(s) = v.as_str() {
                    remember_secret(s);
                }
            }
        }
    }
    // XML bodies: the same secrets, as attributes.
    let request_text = body.and_then(|b| std::str::from_utf8(b).ok()).unwrap_or("");
    for text in [request_text, reply.text.as_str()] {
        if text.trim_start().starts_with('<') {
            xml::secrets_in(text)
                .iter()
                .for_each(|s| remember_secret(s));
        }
    }
    if let Some(header) = reply.header("www-authenticate") {
        if let Some(id) = header.split('\'').nth(1) {
            remember_secret(id);
        }
    }
    let Ok(answer) = serde_json::from_str::<Value>(&reply.text) else {
        return;
    };
    for secret in [
        &answer["access"]["token"]["id"],
        &answer["RAX-KSKEY:apiKeyCredentials"]["apiKey"],
        // Ceremony challenges, and the user handle (an identifier the log has no use for).
        &answer["RAX-AUTH:webAuthnDevice"]["publicKey"]["challenge"],
        &answer["RAX-AUTH:webAuthnDevice"]["publicKey"]["user"]["id"],
        &answer["RAX-AUTH:webAuthnOptions"]["publicKey"]["challenge"],
    ] {
        if let Some(s) = secret.as_str() {
            remember_secret(s);
        }
    }
    for code in answer["RAX-AUTH:bypassCodes"]["codes"]
        .as_array()
        .into_iter()
        .flatten()
    {
        if let Some(c) = code.as_str() {
            remember_secret(c);
        }
    }
    if let Some(uri) = answer["RAX-AUTH:otpDevice"]["keyUri"].as_str() {
        if let Some(secret) = uri
            .split("secret=")
            .nth(1)
            .and_then(|r| r.split('&').next())
        {
            remember_secret(secret);
        }
    }
}

/// A random lower-case hex string (unique names keep parallel tests apart).
pub fn unique(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).expect("random");
    hex::encode(buf)
}

/// One of the gateways of the test stack.
#[derive(Clone, Copy, Debug)]
pub enum Gateway {
    /// Production defaults.
    Default,
    /// One second between verification sends.
    Fast,
    /// PINs, tokens, sessions and WebAuthn registration challenges live two seconds; locks
    /// release after two.
    ShortTtl,
    /// SNS unreachable.
    NoSns,
    /// DynamoDB unreachable.
    NoDynamoDb,
    /// DynamoDB transactions throttled (reads pass): operations fail half-way.
    ThrottledWrites,
    /// KMS unreachable.
    NoKms,
    /// Secrets Manager (where the functions read the pepper) unreachable.
    NoSecretsManager,
    /// Three SMS per domain and hour.
    SmsBudget,
    /// Short attempt limits: 3 failed passwords per username in 2 s; passcodes lock after 2
    /// failures for 1 s, and for good after 5 in a row.
    Limits,
}

impl Gateway {
    pub fn url(self) -> String {
        env(match self {
            Gateway::Default => "LOCAL_API_URL",
            Gateway::Fast => "FAST_API_URL",
            Gateway::ShortTtl => "SHORT_TTL_API_URL",
            Gateway::NoSns => "NO_SNS_API_URL",
            Gateway::NoDynamoDb => "NO_DYNAMODB_API_URL",
            Gateway::ThrottledWrites => "THROTTLED_WRITES_API_URL",
            Gateway::NoKms => "NO_KMS_API_URL",
            Gateway::NoSecretsManager => "NO_SECRETS_API_URL",
            Gateway::SmsBudget => "SMS_BUDGET_API_URL",
            Gateway::Limits => "LIMITS_API_URL",
        })
    }
}

#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: ureq::http::HeaderMap,
    pub text: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|e| panic!("body is not JSON ({e}): {:?}", self.text))
    }

    /// The token id of a 200 login answer.
    #[track_caller]
    pub fn token(&self) -> String {
        self.assert_status(200);
        self.json()["access"]["token"]["id"]
            .as_str()
            .expect("token id")
            .to_owned()
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }

    /// A fault check: status, exactly one root member named `fault`, `code` = status, and
    /// the message (when given) exactly.
    #[track_caller]
    pub fn assert_fault(&self, status: u16, fault: &str, message: Option<&str>) {
        assert_eq!(self.status, status, "status; body: {}", self.text);
        let body = self.json();
        let root = body.as_object().expect("fault body is an object");
        assert_eq!(root.len(), 1, "one root member: {body}");
        assert_eq!(body[fault]["code"], json!(status), "fault {fault}: {body}");
        let text = body[fault]["message"].as_str().expect("message present");
        if let Some(m) = message {
            assert_eq!(text, m);
        }
        assert_eq!(
            self.header("content-type").as_deref(),
            Some("application/json"),
            "fault content type"
        );
    }

    #[track_caller]
    pub fn assert_status(&self, status: u16) -> &Self {
        assert_eq!(self.status, status, "status; body: {}", self.text);
        self
    }
}

/// A request under construction.
pub struct Call {
    method: &'static str,
    url: String,
    headers: Vec<(String, String)>,
    body: Option<Vec<u8>>,
}

impl Call {
    pub fn new(gateway: Gateway, method: &'static str, path: &str) -> Self {
        Self {
            method,
            url: format!("{}{path}", gateway.url()),
            headers: Vec::new(),
            body: None,
        }
    }

    pub fn token(self, token: &str) -> Self {
        self.header("X-Auth-Token", token)
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// A JSON body with `Content-Type: application/json`.
    pub fn json(self, body: &Value) -> Self {
        self.raw("application/json", body.to_string().as_bytes())
    }

    pub fn raw(mut self, content_type: &str, body: &[u8]) -> Self {
        if !content_type.is_empty() {
            self.headers
                .push(("Content-Type".to_owned(), content_type.to_owned()));
        }
        self.body = Some(body.to_vec());
        self
    }

    pub fn send(self) -> Reply {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        let mut builder = ureq::http::Request::builder()
            .method(self.method)
            .uri(&self.url);
        for (k, v) in &self.headers {
            builder = builder.header(k, v);
        }
        let request = builder
            .body(self.body.clone().unwrap_or_default())
            .expect("request");
        let mut resp = agent
            .run(request)
            .unwrap_or_else(|e| panic!("{} {} failed: {e}", self.method, self.url));
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let text = resp.body_mut().read_to_string().unwrap_or_default();
        let reply = Reply {
            status,
            headers,
            text,
        };
        remember_secrets_of(&self.headers, self.body.as_deref(), &reply);
        reply
    }
}

/// A user created with `mfa-admin`, logged in with its password.
#[derive(Clone, Debug)]
pub struct TestUser {
    pub id: String,
    pub username: String,
    pub password: String,
    pub token: String,
    pub domain: Option<String>,
}

impl TestUser {
    /// `/v2.0/users/{id}/RAX-AUTH/multi-factor`
    pub fn mf(&self) -> String {
        format!("/v2.0/users/{}/RAX-AUTH/multi-factor", self.id)
    }
}

/// A fresh domain id, so that tests never see each other's users.
pub fn new_domain() -> String {
    format!("dom-{}", unique(6))
}

pub fn mfa_admin(args: &[&str]) -> std::process::Output {
    Command::new(env("MFA_ADMIN"))
        .args(args)
        .output()
        .expect("run mfa-admin")
}

/// Creates a user with `role` (and the domain, for domain roles) and logs it in.
pub fn create_user(role: &str, domain: Option<&str>) -> TestUser {
    let user = create_user_without_token(role, domain, false);
    let token = login(Gateway::Default, &user.username, &user.password);
    TestUser { token, ..user }
}

pub fn create_user_without_token(role: &str, domain: Option<&str>, disabled: bool) -> TestUser {
    let username = format!("u{}", unique(6));
    let password = format!("Pw-{}", unique(8));
    let mut args = vec![
        "create-user",
        "--username",
        &username,
        "--password",
        &password,
        "--role",
        role,
    ];
    if let Some(d) = domain {
        args.extend(["--domain", d]);
    }
    if disabled {
        args.push("--disabled");
    }
    let out = mfa_admin(&args);
    assert!(
        out.status.success(),
        "mfa-admin: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let created: Value = serde_json::from_slice(&out.stdout).expect("mfa-admin prints JSON");
    TestUser {
        id: created["id"].as_str().expect("id").to_owned(),
        username,
        password,
        token: String::new(),
        domain: domain.map(str::to_owned),
    }
}

pub fn login_reply(gateway: Gateway, username: &str, password: &str) -> Reply {
    Call::new(gateway, "POST", "/v2.0/tokens")
        .json(
            &json!({"auth": {"passwordCredentials": {"username": username, "password": password}}}),
        )
        .send()
}

pub fn login(gateway: Gateway, username: &str, password: &str) -> String {
    let reply = login_reply(gateway, username, password);
    reply.assert_status(200);
    reply.token()
}

/// A valid US number nobody else in this test run uses: `+1 210-3XX-XXXX`.
pub fn new_phone_number() -> (String, String) {
    loop {
        let r = unique(4);
        let n = u32::from_str_radix(&r, 16).expect("hex");
        let exchange = 300 + n % 100;
        if exchange == 311 {
            continue;
        }
        let line = (n / 100) % 10_000;
        return (
            format!("+1 210-{exchange}-{line:04}"),
            format!("+1210{exchange}{line:04}"),
        );
    }
}

/// Polls `check` until it returns `Some` or `limit` passes (asynchronous deliveries and logs).
pub fn eventually<T>(limit: Duration, mut check: impl FnMut() -> Option<T>) -> Option<T> {
    let start = Instant::now();
    loop {
        if let Some(v) = check() {
            return Some(v);
        }
        if start.elapsed() > limit {
            return None;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Phone helpers: each returns the raw reply so tests can check any outcome.
pub mod phones {
    use super::*;

    pub fn add(gateway: Gateway, token: &str, target: &TestUser, number: &str) -> Reply {
        Call::new(gateway, "POST", &format!("{}/mobile-phones", target.mf()))
            .token(token)
            .json(&json!({"RAX-AUTH:mobilePhone": {"number": number}}))
            .send()
    }

    /// Adds `number` to `user` as itself and returns the phone id.
    pub fn add_ok(user: &TestUser, number: &str) -> String {
        let reply = add(Gateway::Default, &user.token, user, number);
        reply.assert_status(201);
        reply.json()["RAX-AUTH:mobilePhone"]["id"]
            .as_str()
            .expect("id")
            .to_owned()
    }

    pub fn send_code(gateway: Gateway, token: &str, target: &TestUser, phone_id: &str) -> Reply {
        Call::new(
            gateway,
            "POST",
            &format!("{}/mobile-phones/{phone_id}/verificationcode", target.mf()),
        )
        .token(token)
        .send()
    }

    pub fn verify(
        gateway: Gateway,
        token: &str,
        target: &TestUser,
        phone_id: &str,
        code: &str,
    ) -> Reply {
        Call::new(
            gateway,
            "POST",
            &format!("{}/mobile-phones/{phone_id}/verify", target.mf()),
        )
        .token(token)
        .json(&json!({"RAX-AUTH:verificationCode": {"code": code}}))
        .send()
    }

    pub fn get(token: &str, target: &TestUser, phone_id: &str) -> Reply {
        Call::new(
            Gateway::Default,
            "GET",
            &format!("{}/mobile-phones/{phone_id}", target.mf()),
        )
        .token(token)
        .send()
    }

    pub fn list(token: &str, target: &TestUser) -> Reply {
        Call::new(
            Gateway::Default,
            "GET",
            &format!("{}/mobile-phones", target.mf()),
        )
        .token(token)
        .send()
    }

    pub fn delete(token: &str, target: &TestUser, phone_id: &str) -> Reply {
        Call::new(
            Gateway::Default,
            "DELETE",
            &format!("{}/mobile-phones/{phone_id}", target.mf()),
        )
        .token(token)
        .send()
    }

    /// Sends a code and waits for the SMS; returns the PIN.
    pub fn send_and_read_pin(
        gateway: Gateway,
        token: &str,
        target: &TestUser,
        phone_id: &str,
        e164: &str,
    ) -> String {
        let before = sms::messages_to(e164).len();
        send_code(gateway, token, target, phone_id).assert_status(202);
        sms::next_code_to(e164, before).expect("the verification SMS arrives")
    }

    /// A user's phone with a verification PIN sent to it.
    pub struct PendingPhone {
        pub id: String,
        pub e164: String,
        pub pin: String,
    }

    /// Adds a fresh number to `user` and sends it a PIN through the default gateway.
    pub fn with_pin(user: &TestUser) -> PendingPhone {
        let (number, e164) = new_phone_number();
        let id = add_ok(user, &number);
        let pin = send_and_read_pin(Gateway::Default, &user.token, user, &id, &e164);
        PendingPhone { id, e164, pin }
    }

    /// The phones the user lists (id, number, verified).
    pub fn listed(user: &TestUser) -> Vec<Value> {
        let reply = list(&user.token, user);
        reply.assert_status(200);
        reply.json()["RAX-AUTH:mobilePhones"]
            .as_array()
            .cloned()
            .expect("array")
    }
}

/// Disables a user the way an operator does (revokes its tokens).
pub fn disable_user(user: &TestUser) {
    let out = mfa_admin(&["disable-user", "--username", &user.username]);
    assert!(
        out.status.success(),
        "mfa-admin: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Fixture actions written straight to the table, for states the API cannot reach yet
/// (the original's tests do the same: "DB hacked to …").
pub mod table {
    use aws_sdk_dynamodb::types::AttributeValue;

    fn block_on<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
            .block_on(f)
    }

    async fn client() -> aws_sdk_dynamodb::Client {
        aws_sdk_dynamodb::Client::new(
            &aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await,
        )
    }

    /// The items of a user's partition whose sort key starts with `prefix` (PHONE#, OTP#, …;
    /// "" for all of them).
    pub fn items_of(
        user_id: &str,
        prefix: &str,
    ) -> Vec<std::collections::HashMap<String, AttributeValue>> {
        block_on(async {
            let mut query = client()
                .await
                .query()
                .table_name(super::env("TABLE_NAME"))
                .expression_attribute_values(":pk", AttributeValue::S(format!("USER#{user_id}")))
                .consistent_read(true);
            query = if prefix.is_empty() {
                query.key_condition_expression("PK = :pk")
            } else {
                query
                    .key_condition_expression("PK = :pk AND begins_with(SK, :prefix)")
                    .expression_attribute_values(":prefix", AttributeValue::S(prefix.into()))
            };
            query.send().await.expect("query").items.unwrap_or_default()
        })
    }

    /// Every security event item in the table (a scan: fine for the test table), as JSON.
    pub fn all_events() -> Vec<serde_json::Value> {
        block_on(async {
            let client = client().await;
            let mut events = Vec::new();
            let mut start = None;
            loop {
                let page = client
                    .scan()
                    .table_name(super::env("TABLE_NAME"))
                    .filter_expression("begins_with(SK, :event)")
                    .expression_attribute_values(":event", AttributeValue::S("~EVENT#".into()))
                    .set_exclusive_start_key(start.take())
                    .send()
                    .await
                    .expect("scan");
                events.extend(page.items().iter().map(|item| {
                    serde_json::Value::Object(
                        item.iter().map(|(k, v)| (k.clone(), json_of(v))).collect(),
                    )
                }));
                match page.last_evaluated_key {
                    Some(key) if !key.is_empty() => start = Some(key),
                    _ => return events,
                }
            }
        })
    }

    fn json_of(value: &AttributeValue) -> serde_json::Value {
        use serde_json::Value;
        match value {
            AttributeValue::S(s) | AttributeValue::N(s) => Value::String(s.clone()),
            AttributeValue::Bool(b) => Value::Bool(*b),
            AttributeValue::M(m) => {
                Value::Object(m.iter().map(|(k, v)| (k.clone(), json_of(v))).collect())
            }
            AttributeValue::L(l) => Value::Array(l.iter().map(json_of).collect()),
            _ => Value::Null,
        }
    }

    /// How many login sessions of this user exist (a scan: fine for the test table).
    pub fn session_count(user_id: &str) -> usize {
        block_on(async {
            let out = client()
                .await
                .scan()
                .table_name(super::env("TABLE_NAME"))
                .filter_expression("begins_with(PK, :session) AND userId = :user")
                .expression_attribute_values(":session", AttributeValue::S("SESSION#".into()))
                .expression_attribute_values(":user", AttributeValue::S(user_id.into()))
                .consistent_read(true)
                .send()
                .await
                .expect("scan");
            assert!(out.last_evaluated_key.is_none(), "scan fits one page");
            out.count as usize
        })
    }

    /// Marks the user's MFA as enabled with `factor` ("SMS" or "OTP").
    pub fn force_mfa(user_id: &str, factor: &str) {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async {
            let aws = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
            aws_sdk_dynamodb::Client::new(&aws)
                .update_item()
                .table_name(super::env("TABLE_NAME"))
                .key("PK", AttributeValue::S(format!("USER#{user_id}")))
                .key("SK", AttributeValue::S("PROFILE".into()))
                .update_expression("SET mfa.enabled = :t, mfa.factorType = :sms")
                .expression_attribute_values(":t", AttributeValue::Bool(true))
                .expression_attribute_values(":sms", AttributeValue::S(factor.into()))
                .send()
                .await
                .expect("update profile");
        });
    }
}

/// OTP helpers. Codes come from `totp-rs` reading the `keyUri`, not from the project's TOTP.
pub mod otp {
    use super::*;

    pub struct Created {
        pub id: String,
        pub key_uri: String,
        pub reply: Reply,
    }

    pub fn create(gateway: Gateway, token: &str, target: &TestUser, name: &str) -> Reply {
        Call::new(gateway, "POST", &format!("{}/otp-devices", target.mf()))
            .token(token)
            .json(&json!({"RAX-AUTH:otpDevice": {"name": name}}))
            .send()
    }

    pub fn create_ok(user: &TestUser, name: &str) -> Created {
        let reply = create(Gateway::Default, &user.token, user, name);
        reply.assert_status(201);
        let body = reply.json();
        let device = &body["RAX-AUTH:otpDevice"];
        Created {
            id: device["id"].as_str().expect("id").to_owned(),
            key_uri: device["keyUri"].as_str().expect("keyUri").to_owned(),
            reply,
        }
    }

    /// The code an authenticator app shows for this key URI, `offset_steps` from now.
    pub fn code(key_uri: &str, offset_steps: i64) -> String {
        let totp =
            totp_rs::Totp::from_url(key_uri).unwrap_or_else(|e| panic!("keyUri {key_uri}: {e:?}"));
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock")
            .as_secs() as i64;
        totp.generate((now + offset_steps * 30) as u64).to_string()
    }

    pub fn verify(token: &str, target: &TestUser, device_id: &str, code: &str) -> Reply {
        Call::new(
            Gateway::Default,
            "POST",
            &format!("{}/otp-devices/{device_id}/verify", target.mf()),
        )
        .token(token)
        .json(&json!({"RAX-AUTH:verificationCode": {"code": code}}))
        .send()
    }

    pub fn get(token: &str, target: &TestUser, device_id: &str) -> Reply {
        Call::new(
            Gateway::Default,
            "GET",
            &format!("{}/otp-devices/{device_id}", target.mf()),
        )
        .token(token)
        .send()
    }

    pub fn delete(token: &str, target: &TestUser, device_id: &str) -> Reply {
        Call::new(
            Gateway::Default,
            "DELETE",
            &format!("{}/otp-devices/{device_id}", target.mf()),
        )
        .token(token)
        .send()
    }

    pub fn listed(user: &TestUser) -> Vec<Value> {
        let reply = Call::new(
            Gateway::Default,
            "GET",
            &format!("{}/otp-devices", user.mf()),
        )
        .token(&user.token)
        .send();
        reply.assert_status(200);
        reply.json()["RAX-AUTH:otpDevices"]
            .as_array()
            .cloned()
            .expect("array")
    }

    /// Creates and verifies a device; returns its id and key URI.
    pub fn enrolled(user: &TestUser, name: &str) -> (String, String) {
        let created = create_ok(user, name);
        verify(&user.token, user, &created.id, &code(&created.key_uri, 0)).assert_status(204);
        (created.id, created.key_uri)
    }
}

/// MFA helpers: turning it on, and the two login steps.
pub mod mfa {
    use super::*;

    pub fn put(token: &str, target: &TestUser, settings: Value) -> Reply {
        Call::new(Gateway::Default, "PUT", &target.mf())
            .token(token)
            .json(&json!({ "RAX-AUTH:multiFactor": settings }))
            .send()
    }

    /// Verified phone + MFA on with SMS, as the user. Returns the phone's E.164 number.
    pub fn enable_sms(user: &TestUser) -> String {
        let phone = phones::with_pin(user);
        phones::verify(Gateway::Default, &user.token, user, &phone.id, &phone.pin)
            .assert_status(204);
        put(&user.token, user, json!({"enabled": true})).assert_status(204);
        phone.e164
    }

    /// Verified OTP device + MFA on with OTP, as the user. Returns the device's key URI.
    pub fn enable_otp(user: &TestUser) -> String {
        let (_, key_uri) = otp::enrolled(user, "authenticator");
        put(
            &user.token,
            user,
            json!({"enabled": true, "factorType": "OTP"}),
        )
        .assert_status(204);
        key_uri
    }

    /// The session id of a challenge, read the way public clients read it.
    pub fn session_id(challenge: &Reply) -> String {
        let header = challenge
            .header("www-authenticate")
            .expect("WWW-Authenticate");
        let pattern = regex::Regex::new(r"sessionId='(.*?[^\\])'").expect("pattern");
        pattern.captures(&header).expect("sessionId in the header")[1].to_owned()
    }

    pub fn step2(gateway: Gateway, session_id: &str, passcode: &str) -> Reply {
        Call::new(gateway, "POST", "/v2.0/tokens")
            .header("X-SessionId", session_id)
            .json(&json!({"auth": {"RAX-AUTH:passcodeCredentials": {"passcode": passcode}}}))
            .send()
    }

    /// Step 1 for an SMS user: the session id and the passcode texted to `e164`.
    pub fn sms_challenge(gateway: Gateway, user: &TestUser, e164: &str) -> (String, String) {
        let before = sms::messages_to(e164).len();
        let challenge = login_reply(gateway, &user.username, &user.password);
        challenge.assert_status(401);
        let session = session_id(&challenge);
        let code = sms::next_code_to(e164, before).expect("login SMS");
        (session, code)
    }

    /// A complete SMS login; returns the MFA token.
    pub fn login_sms(user: &TestUser, e164: &str) -> String {
        let (session, code) = sms_challenge(Gateway::Default, user, e164);
        let reply = step2(Gateway::Default, &session, &code);
        reply.assert_status(200);
        reply.token()
    }

    /// A complete OTP login with the device of `key_uri`; returns the MFA token. The code is
    /// the next step's (the device's last accepted step is usually now's: replays are refused).
    pub fn login_otp(user: &TestUser, key_uri: &str) -> String {
        let session = challenge(Gateway::Default, user);
        let reply = step2(Gateway::Default, &session, &otp::code(key_uri, 1));
        reply.assert_status(200);
        reply.token()
    }

    /// The user holding a token with a second factor (after MFA went on, its password-only
    /// token is revoked).
    pub fn with_token(user: &TestUser, token: String) -> TestUser {
        TestUser {
            token,
            ..user.clone()
        }
    }

    /// Step 1 for any MFA user: the session id.
    pub fn challenge(gateway: Gateway, user: &TestUser) -> String {
        let reply = login_reply(gateway, &user.username, &user.password);
        reply.assert_status(401);
        session_id(&reply)
    }

    /// The user as an administrator sees it.
    pub fn shown(admin: &TestUser, user: &TestUser) -> Value {
        shown_through(Gateway::Default, admin, user)
    }

    /// The user as an administrator sees it through `gateway` (whose configuration decides,
    /// for example, whether a lock holds).
    pub fn shown_through(gateway: Gateway, admin: &TestUser, user: &TestUser) -> Value {
        let reply = Call::new(gateway, "GET", &format!("/v2.0/users/{}", user.id))
            .token(&admin.token)
            .send();
        reply.assert_status(200);
        reply.json()["user"].clone()
    }

    pub fn bypass(gateway: Gateway, token: &str, target: &TestUser, body: Option<Value>) -> Reply {
        let call =
            Call::new(gateway, "POST", &format!("{}/bypass-codes", target.mf())).token(token);
        match body {
            Some(b) => call.json(&json!({ "RAX-AUTH:bypassCodes": b })).send(),
            None => call.send(),
        }
    }

    pub fn codes(reply: &Reply) -> Vec<String> {
        reply.json()["RAX-AUTH:bypassCodes"]["codes"]
            .as_array()
            .expect("codes")
            .iter()
            .map(|c| c.as_str().expect("code").to_owned())
            .collect()
    }
}

/// Runs `f(0)` … `f(n - 1)` on `n` threads at once and returns their results in order.
pub fn parallel<T: Send>(n: usize, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..n)
            .map(|i| {
                let f = &f;
                s.spawn(move || f(i))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("thread"))
            .collect()
    })
}
