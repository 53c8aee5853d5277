//! Request parsing and response rendering shared by every function.

use crate::error::ApiError;
use crate::media::{body_format, Format};
use lambda_http::http;
use lambda_http::http::header::CONTENT_TYPE;
use lambda_http::{Body, Request, RequestExt, Response};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The largest request body accepted (413 above it). Every body of the API is well under 1 KiB;
/// the cap keeps a hostile one from costing parse time, above all on the unauthenticated login.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

pub use crate::response::{empty_response, json_response};

/// A path parameter of the route (API Gateway fills these from the template's path).
pub fn path_param(req: &Request, name: &str) -> Result<String, ApiError> {
    req.path_parameters_ref()
        .and_then(|p| p.first(name))
        .map(str::to_owned)
        .ok_or_else(|| ApiError::Internal(format!("route has no path parameter {name}")))
}

/// `Location` of a created sub-resource: the request URL plus its id (DECISIONS.md 28).
pub fn location(req: &Request, id: &str) -> String {
    format!("{}/{id}", request_url(req).trim_end_matches('/'))
}

/// The request's URL without its query: absolute when the request says its host.
pub fn request_url(req: &Request) -> String {
    let uri = req.uri();
    match (uri.scheme_str(), uri.authority()) {
        (Some(scheme), Some(authority)) => format!("{scheme}://{authority}{}", uri.path()),
        _ => uri.path().to_owned(),
    }
}

/// Parses `{"<root>": {...}}` (or its XML form, the `<root>` element) into `T`. A wrong media
/// type is 415; bad syntax, another root, extra roots or unknown members are 400 `Invalid json
/// request body` / `Invalid XML`.
pub fn parse_wrapped<T: DeserializeOwned>(req: &Request, root: &str) -> Result<T, ApiError> {
    parse_wrapped_or(req, root, Format::invalid_body)
}

/// [`parse_wrapped`] where a well-formed body of the wrong shape gets `shape_error` (the login
/// has its own message for that, BEHAVIOR.md 7).
pub fn parse_wrapped_or<T: DeserializeOwned>(
    req: &Request,
    root: &str,
    shape_error: impl Fn(Format) -> ApiError,
) -> Result<T, ApiError> {
    let format = body_format(req.headers())?;
    let shape_error = || shape_error(format);
    let bytes: &[u8] = req.body().as_ref();
    let inner = match format {
        Format::Json => {
            let value: Value =
                serde_json::from_slice(bytes).map_err(|_| ApiError::invalid_json())?;
            let Value::Object(mut map) = value else {
                return Err(shape_error());
            };
            if map.len() != 1 {
                return Err(shape_error());
            }
            map.remove(root).ok_or_else(&shape_error)?
        }
        Format::Xml => crate::xml::read::parse(bytes)
            .map_err(|_| ApiError::invalid_xml())?
            .content_of(root)
            .map_err(|_| shape_error())?,
    };
    serde_json::from_value(inner).map_err(|_| shape_error())
}

/// A handler's response in the negotiated format: JSON bodies are rewritten as XML when the
/// client asked for XML (every handler builds one JSON value per resource, xml::write maps it).
pub fn in_format(response: Response<Body>, format: Format) -> Response<Body> {
    let is_json = response
        .headers()
        .get(CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes() == Format::Json.content_type().as_bytes());
    if format == Format::Json || !is_json {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let xml = serde_json::from_slice::<Value>(body.as_ref())
        .ok()
        .and_then(|value| crate::xml::write::render(&value))
        .and_then(|bytes| String::from_utf8(bytes).ok());
    let Some(xml) = xml else {
        tracing::error!("a JSON response could not be written as XML");
        return ApiError::Internal("unrenderable response".into()).into_response();
    };
    parts.headers.insert(
        CONTENT_TYPE,
        http::HeaderValue::from_static(Format::Xml.content_type()),
    );
    Response::from_parts(parts, Body::Text(xml))
}

/// A header sent more than once where one value is expected.
#[derive(Debug, PartialEq, Eq)]
pub struct RepeatedHeader;

/// The single value of a header; `None` when absent, `Err` when repeated.
pub fn single_header<'a>(req: &'a Request, name: &str) -> Result<Option<&'a str>, RepeatedHeader> {
    let mut values = req.headers().get_all(name).iter();
    let first = values.next();
    if values.next().is_some() {
        return Err(RepeatedHeader);
    }
    Ok(first.and_then(|v| v.to_str().ok()))
}

/// The body of both verify operations: `{"RAX-AUTH:verificationCode":{"code":"…"}}`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerificationCode {
    code: Option<String>,
}

impl VerificationCode {
    pub const ROOT: &'static str = "RAX-AUTH:verificationCode";

    /// The trimmed code, or 400 `Must provide a verification code`.
    pub fn code(self) -> Result<String, ApiError> {
        self.code
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty())
            .ok_or_else(|| ApiError::bad_request(crate::error::msg::MISSING_CODE))
    }
}

/// Request values clients send as JSON booleans/numbers or as strings (`"true"`, `"5"`),
/// DECISIONS.md 18. Anything else fails the parse (400 `Invalid json request body`).
pub mod lenient {
    use serde::{Deserialize, Deserializer};

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum BoolOrText {
        Bool(bool),
        Text(String),
    }

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum NumberOrText {
        Number(u64),
        Text(String),
    }

    pub fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
        match Option::<BoolOrText>::deserialize(d)? {
            None => Ok(None),
            Some(BoolOrText::Bool(b)) => Ok(Some(b)),
            Some(BoolOrText::Text(t)) if t.eq_ignore_ascii_case("true") => Ok(Some(true)),
            Some(BoolOrText::Text(t)) if t.eq_ignore_ascii_case("false") => Ok(Some(false)),
            Some(BoolOrText::Text(t)) => {
                Err(serde::de::Error::custom(format!("not a boolean: {t}")))
            }
        }
    }

    pub fn opt_u32<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
        let n = match Option::<NumberOrText>::deserialize(d)? {
            None => return Ok(None),
            Some(NumberOrText::Number(n)) => n,
            Some(NumberOrText::Text(t)) => t
                .trim()
                .parse::<u64>()
                .map_err(|_| serde::de::Error::custom(format!("not an integer: {t}")))?,
        };
        u32::try_from(n)
            .map(Some)
            .map_err(|_| serde::de::Error::custom("integer too large"))
    }
}

#[cfg(test)]
mod format_tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn xml_answers_keep_status_and_headers_and_switch_the_body() {
        let mut json = ApiError::Unauthorized("more".into()).into_response();
        json.headers_mut()
            .insert("www-authenticate", "OS-MF sessionId='s'".parse().unwrap());
        let xml = in_format(json, Format::Xml);
        assert_eq!(xml.status(), 401);
        assert_eq!(xml.headers()["content-type"], "application/xml");
        assert_eq!(xml.headers()["www-authenticate"], "OS-MF sessionId='s'");
        let body = std::str::from_utf8(xml.body().as_ref()).unwrap().to_owned();
        assert!(
            body.ends_with(r#"code="401"><message>more</message></unauthorized>"#),
            "{body}"
        );
        let empty = in_format(empty_response(204), Format::Xml);
        assert!(empty.headers().get("content-type").is_none());
    }

    #[test]
    fn a_json_answer_that_is_no_document_becomes_a_500_not_a_broken_body() {
        let odd = json_response(200, &json!([1, 2]));
        let answer = in_format(odd, Format::Xml);
        assert_eq!(answer.status(), 500);
        assert!(std::str::from_utf8(answer.body().as_ref())
            .unwrap()
            .contains("identityFault"));
        let json = in_format(json_response(200, &json!([1])), Format::Json);
        assert_eq!(json.status(), 200, "JSON answers pass through unchanged");
    }
}

#[cfg(test)]
mod tests {
    use super::lenient;
    use serde::Deserialize;

    #[derive(Deserialize, Debug, PartialEq)]
    struct T {
        #[serde(default, deserialize_with = "lenient::opt_bool")]
        b: Option<bool>,
        #[serde(default, deserialize_with = "lenient::opt_u32")]
        n: Option<u32>,
    }

    fn parse(json: &str) -> Result<T, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn booleans_and_integers_may_come_as_strings() {
        assert_eq!(
            parse(r#"{"b":true,"n":5}"#).unwrap(),
            T {
                b: Some(true),
                n: Some(5)
            }
        );
        assert_eq!(
            parse(r#"{"b":"FALSE","n":"7"}"#).unwrap(),
            T {
                b: Some(false),
                n: Some(7)
            }
        );
        assert_eq!(parse(r#"{}"#).unwrap(), T { b: None, n: None });
        assert_eq!(parse(r#"{"b":null}"#).unwrap(), T { b: None, n: None });
    }

    #[test]
    fn other_values_are_refused() {
        for bad in [
            r#"{"b":"yes"}"#,
            r#"{"b":1}"#,
            r#"{"n":"x"}"#,
            r#"{"n":-1}"#,
            r#"{"n":1.5}"#,
            r#"{"n":99999999999}"#,
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
