//! Reading a partition's events a page at a time: `?limit=` (1-1000, default 100) and
//! `?marker=<id of the last event of the previous page>`, newest first, with a `Link` header
//! to the next page exactly when more remain.

use super::trail::is_event_id;
use super::Partition;
use crate::error::ApiError;
use crate::http::request_url;
use crate::response::json_response;
use crate::runtime::Services;
use lambda_http::http::header::{HeaderValue, LINK};
use lambda_http::{Body, Request, RequestExt, Response};
use serde_json::json;

pub const DEFAULT_LIMIT: usize = 100;
pub const MAX_LIMIT: usize = 1000;

#[derive(Debug, PartialEq, Eq)]
pub struct PageRequest {
    pub limit: usize,
    pub marker: Option<String>,
}

impl PageRequest {
    /// The query's `limit` and `marker` (each at most once): outside 1-1000 or not a number,
    /// or a marker that is no event id, is 400.
    pub fn from_request(req: &Request) -> Result<Self, ApiError> {
        let query = req.query_string_parameters_ref();
        let one = |name: &str| -> Result<Option<String>, ApiError> {
            match query
                .and_then(|q| q.all(name))
                .unwrap_or_default()
                .as_slice()
            {
                [] => Ok(None),
                [value] => Ok(Some((*value).to_owned())),
                _ => Err(ApiError::BadRequest(format!("{name} may be given once"))),
            }
        };
        let limit = match one("limit")? {
            None => DEFAULT_LIMIT,
            Some(text) => Some(text)
                .filter(|t| t.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|t| t.parse::<usize>().ok())
                .filter(|n| (1..=MAX_LIMIT).contains(n))
                .ok_or_else(|| {
                    ApiError::BadRequest(format!(
                        "limit must be a whole number from 1 to {MAX_LIMIT}"
                    ))
                })?,
        };
        let marker = one("marker")?;
        if marker.as_deref().is_some_and(|m| !is_event_id(m)) {
            return Err(unknown_marker());
        }
        Ok(Self { limit, marker })
    }
}

fn unknown_marker() -> ApiError {
    ApiError::bad_request("marker names no event of this list")
}

/// `{"RAX-AUTH:securityEvents": [...]}` of one page of `partition`, newest first, with its
/// `Link` to the next page when more remain.
pub async fn answer_page(
    services: &Services,
    req: &Request,
    partition: Partition<'_>,
    page: &PageRequest,
) -> Result<Response<Body>, ApiError> {
    let found = services
        .store
        .event_page(partition, page.limit, page.marker.as_deref())
        .await?
        .ok_or_else(unknown_marker)?;
    let mut response = json_response(200, &json!({ "RAX-AUTH:securityEvents": found.events }));
    if let Some(last) = found.events.last().filter(|_| found.more) {
        let next = format!(
            "<{}?marker={}&limit={}>; rel=\"next\"",
            request_url(req),
            last.id,
            page.limit
        );
        // The request's own URL and an id: a header value unless the request was not one.
        let value = HeaderValue::from_str(&next)
            .map_err(|_| ApiError::Internal("the next page's Link is no header value".into()))?;
        response.headers_mut().insert(LINK, value);
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn with_query(pairs: &[(&str, &str)]) -> Request {
        let mut map: HashMap<String, Vec<String>> = HashMap::new();
        for (k, v) in pairs {
            map.entry((*k).to_owned())
                .or_default()
                .push((*v).to_owned());
        }
        Request::default().with_query_string_parameters(map)
    }

    #[test]
    fn limit_and_marker_are_checked() {
        let ok = |pairs: &[(&str, &str)]| PageRequest::from_request(&with_query(pairs));
        assert_eq!(
            ok(&[]).unwrap(),
            PageRequest {
                limit: 100,
                marker: None
            }
        );
        assert_eq!(ok(&[("limit", "1")]).unwrap().limit, 1);
        assert_eq!(ok(&[("limit", "1000")]).unwrap().limit, 1000);
        let marker = "1764707000123-00000001-3fa9c2d1";
        assert_eq!(
            ok(&[("marker", marker)]).unwrap().marker.as_deref(),
            Some(marker)
        );
        for bad in [
            vec![("limit", "0")],
            vec![("limit", "1001")],
            vec![("limit", "ten")],
            vec![("limit", "-1")],
            vec![("limit", "+5")],
            vec![("limit", "1"), ("limit", "2")],
            vec![("marker", "nope")],
        ] {
            assert_eq!(ok(&bad).unwrap_err().status(), 400, "{bad:?}");
        }
    }
}
