//! The SMS that SNS delivered, as the emulator records them (`/moto-api/data.json`, `sns.SMS`).

use serde_json::Value;

fn all_messages() -> Vec<(String, String)> {
    let url = format!("{}/moto-api/data.json", super::env("EMULATOR_URL"));
    let mut resp = ureq::get(&url).call().expect("emulator data");
    let data: Value =
        serde_json::from_str(&resp.body_mut().read_to_string().expect("body")).expect("json");
    data["sns"]["SMS"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|m| {
            (
                m["phone_number"].as_str().unwrap_or_default().to_owned(),
                m["message"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

/// Every message sent to this E.164 number, oldest first.
pub fn messages_to(e164: &str) -> Vec<String> {
    all_messages()
        .into_iter()
        .filter(|(n, _)| n == e164)
        .map(|(_, m)| m)
        .collect()
}

/// The code in the newest message to this number (codes are the message's last word).
pub fn last_code_to(e164: &str) -> Option<String> {
    messages_to(e164)
        .last()
        .and_then(|m| m.split_whitespace().last().map(str::to_owned))
}

/// Waits (up to 5 s: SNS delivers asynchronously) for a message to this number beyond the
/// `before` already there, and returns its code.
pub fn next_code_to(e164: &str, before: usize) -> Option<String> {
    super::eventually(std::time::Duration::from_secs(5), || {
        let all = messages_to(e164);
        (all.len() > before).then(|| {
            all.last()
                .and_then(|m| m.split_whitespace().last().map(str::to_owned))
        })
    })
    .flatten()
}
