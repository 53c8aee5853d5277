//! HTTP request -> API Gateway HTTP API payload 2.0 event, and the function's result -> HTTP.

use base64::Engine;
use serde_json::{json, Map, Value};

pub struct IncomingRequest<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: &'a str,
    pub headers: Vec<(String, String)>,
    pub body: &'a [u8],
    pub source_ip: String,
}

pub struct RouteMatch<'a> {
    /// `METHOD /path/{param}` or `$default`.
    pub route_key: String,
    pub path_parameters: &'a [(String, String)],
}

pub struct OutgoingResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

pub fn build_event(
    req: &IncomingRequest,
    route: &RouteMatch,
    request_id: &str,
    now_ms: u128,
) -> Value {
    // API Gateway lower-cases header names and joins repeated headers with commas.
    let mut headers: Map<String, Value> = Map::new();
    let mut cookies = Vec::new();
    for (name, value) in &req.headers {
        let name = name.to_ascii_lowercase();
        if name == "cookie" {
            cookies.extend(value.split(';').map(|c| json!(c.trim())));
            continue;
        }
        match headers.get_mut(&name) {
            Some(Value::String(existing)) => {
                existing.push(',');
                existing.push_str(value);
            }
            _ => {
                headers.insert(name, json!(value));
            }
        }
    }
    let host = headers
        .get("host")
        .and_then(Value::as_str)
        .unwrap_or("localhost")
        .to_owned();
    headers.insert("x-forwarded-proto".into(), json!("http"));
    headers.insert("x-forwarded-for".into(), json!(req.source_ip));
    let user_agent = headers.get("user-agent").cloned().unwrap_or(json!(""));

    let (body, is_base64) = match std::str::from_utf8(req.body) {
        Ok(text) => (json!(text), false),
        Err(_) => (
            json!(base64::engine::general_purpose::STANDARD.encode(req.body)),
            true,
        ),
    };
    let mut event = json!({
        "version": "2.0",
        "routeKey": route.route_key,
        "rawPath": req.path,
        "rawQueryString": req.query,
        "headers": headers,
        "requestContext": {
            "accountId": "000000000000",
            "apiId": "local",
            "domainName": host,
            "domainPrefix": host.split('.').next().unwrap_or(""),
            "http": {
                "method": req.method,
                "path": req.path,
                "protocol": "HTTP/1.1",
                "sourceIp": req.source_ip,
                "userAgent": user_agent,
            },
            "requestId": request_id,
            "routeKey": route.route_key,
            "stage": "$default",
            "time": "",
            "timeEpoch": now_ms as u64,
        },
        "isBase64Encoded": is_base64,
    });
    if !req.body.is_empty() {
        event["body"] = body;
    }
    if !cookies.is_empty() {
        event["cookies"] = Value::Array(cookies);
    }
    if !route.path_parameters.is_empty() {
        let params: Map<String, Value> = route
            .path_parameters
            .iter()
            .map(|(k, v)| (k.clone(), json!(percent_decode(v))))
            .collect();
        event["pathParameters"] = Value::Object(params);
    }
    let query = query_parameters(req.query);
    if !query.is_empty() {
        event["queryStringParameters"] = Value::Object(query);
    }
    event
}

fn query_parameters(raw: &str) -> Map<String, Value> {
    let mut out: Map<String, Value> = Map::new();
    for pair in raw.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let (k, v) = (percent_decode(k), percent_decode(v));
        match out.get_mut(&k) {
            Some(Value::String(existing)) => {
                existing.push(',');
                existing.push_str(&v);
            }
            _ => {
                out.insert(k, json!(v));
            }
        }
    }
    out
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The function's payload-2.0 result. A result without `statusCode` is a 200 JSON body, as
/// API Gateway treats it.
pub fn parse_result(raw: &[u8]) -> Result<OutgoingResponse, String> {
    let value: Value =
        serde_json::from_slice(raw).map_err(|e| format!("function returned invalid JSON: {e}"))?;
    let Some(status) = value.get("statusCode").and_then(Value::as_u64) else {
        return Ok(OutgoingResponse {
            status: 200,
            headers: vec![("content-type".into(), "application/json".into())],
            body: raw.to_vec(),
        });
    };
    let mut headers = Vec::new();
    if let Some(map) = value.get("headers").and_then(Value::as_object) {
        for (k, v) in map {
            if let Some(v) = v.as_str() {
                headers.push((k.clone(), v.to_owned()));
            }
        }
    }
    if let Some(map) = value.get("multiValueHeaders").and_then(Value::as_object) {
        for (k, vs) in map {
            if headers.iter().any(|(h, _)| h.eq_ignore_ascii_case(k)) {
                continue;
            }
            for v in vs
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                headers.push((k.clone(), v.to_owned()));
            }
        }
    }
    for cookie in value
        .get("cookies")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(c) = cookie.as_str() {
            headers.push(("set-cookie".into(), c.to_owned()));
        }
    }
    let body = match value.get("body").and_then(Value::as_str) {
        None => Vec::new(),
        Some(text) if value.get("isBase64Encoded") == Some(&json!(true)) => {
            base64::engine::general_purpose::STANDARD
                .decode(text)
                .map_err(|e| format!("function returned invalid base64 body: {e}"))?
        }
        Some(text) => text.as_bytes().to_vec(),
    };
    Ok(OutgoingResponse {
        status: status as u16,
        headers,
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_carry_route_parameters_lowercased_joined_headers_and_the_body() {
        let req = IncomingRequest {
            method: "POST",
            path: "/v2.0/users/u%201/x",
            query: "a=1&a=2&b=%20",
            headers: vec![
                ("Host".into(), "127.0.0.1:3000".into()),
                ("X-Auth-Token".into(), "t1".into()),
                ("x-auth-token".into(), "t2".into()),
            ],
            body: br#"{"k":1}"#,
            source_ip: "127.0.0.1".into(),
        };
        let params = vec![("userId".to_owned(), "u%201".to_owned())];
        let route = RouteMatch {
            route_key: "POST /v2.0/users/{userId}/x".into(),
            path_parameters: &params,
        };
        let e = build_event(&req, &route, "rid", 5);
        assert_eq!(e["version"], "2.0");
        assert_eq!(e["headers"]["x-auth-token"], "t1,t2");
        assert_eq!(e["pathParameters"]["userId"], "u 1");
        assert_eq!(e["queryStringParameters"]["a"], "1,2");
        assert_eq!(e["queryStringParameters"]["b"], " ");
        assert_eq!(e["requestContext"]["domainName"], "127.0.0.1:3000");
        assert_eq!(e["requestContext"]["http"]["method"], "POST");
        assert_eq!(e["body"], r#"{"k":1}"#);
        assert_eq!(e["isBase64Encoded"], false);
    }

    #[test]
    fn results_become_responses() {
        let r = parse_result(
            br#"{"statusCode":201,"headers":{"location":"x"},"body":"{}","isBase64Encoded":false}"#,
        )
        .unwrap();
        assert_eq!(r.status, 201);
        assert_eq!(r.headers, vec![("location".to_owned(), "x".to_owned())]);
        assert_eq!(r.body, b"{}");
        let r = parse_result(br#"{"statusCode":204}"#).unwrap();
        assert!(r.body.is_empty());
        assert!(parse_result(b"not json").is_err());
    }
}
