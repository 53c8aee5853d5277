//! Content negotiation (API.md 1.1, DECISIONS.md 2 and 26): the format of a request body (JSON
//! or XML, else 415) and of the response (what `Accept` prefers, else 406).

use crate::error::ApiError;
use lambda_http::http::header::{ACCEPT, CONTENT_TYPE};
use lambda_http::http::HeaderMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Xml,
}

impl Format {
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Json => "application/json",
            Format::Xml => "application/xml",
        }
    }

    /// 400 for a body that is not a document of this format (BEHAVIOR.md 9).
    pub fn invalid_body(self) -> ApiError {
        match self {
            Format::Json => ApiError::invalid_json(),
            Format::Xml => ApiError::invalid_xml(),
        }
    }

    fn of(media_type: &str) -> Option<Self> {
        match media_type {
            "application/json" => Some(Format::Json),
            "application/xml" => Some(Format::Xml),
            _ => None,
        }
    }
}

/// The declared type of a request body, parameters such as charset allowed. Any other type, or
/// none, is 415.
pub fn body_format(headers: &HeaderMap) -> Result<Format, ApiError> {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| Format::of(&media_type(v)))
        .ok_or(ApiError::BadMediaType)
}

/// The format `Accept` prefers: each format takes the quality of the most specific range that
/// matches it (`application/json` before `application/*` before `*/*`); the higher quality wins,
/// then the more specific range, then JSON. No header is JSON; only ranges we cannot produce
/// (or `q=0` for both) is 406.
pub fn response_format(headers: &HeaderMap) -> Result<Format, ApiError> {
    let ranges: Vec<&str> = headers
        .get_all(ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter(|r| !r.trim().is_empty())
        .collect();
    if ranges.is_empty() {
        return Ok(Format::Json);
    }
    let json = preference(&ranges, Format::Json);
    let xml = preference(&ranges, Format::Xml);
    let (best, choice) = if xml > json {
        (xml, Format::Xml)
    } else {
        (json, Format::Json)
    };
    match best {
        Some((quality, _)) if quality > 0 => Ok(choice),
        _ => Err(ApiError::NotAcceptable),
    }
}

/// (quality in thousandths, specificity) of the most specific range matching `format`.
fn preference(ranges: &[&str], format: Format) -> Option<(u16, u8)> {
    ranges
        .iter()
        .filter_map(|range| {
            let specificity = match media_type(range).as_str() {
                "*/*" => 0,
                "application/*" => 1,
                m if Format::of(m) == Some(format) => 2,
                _ => return None,
            };
            let quality = range
                .split(';')
                .skip(1)
                .filter_map(|p| p.trim().strip_prefix("q="))
                .map(quality)
                .next()
                .unwrap_or(1000);
            Some((specificity, quality))
        })
        .max_by_key(|(specificity, quality)| (*specificity, *quality))
        .map(|(specificity, quality)| (quality, specificity))
}

/// `0.8` -> 800; anything unreadable counts as 0 (not acceptable).
fn quality(text: &str) -> u16 {
    text.trim()
        .parse::<f32>()
        .ok()
        .filter(|q| (0.0..=1.0).contains(q))
        .map(|q| (q * 1000.0).round() as u16)
        .unwrap_or(0)
}

fn media_type(value: &str) -> String {
    value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(values: &[&str]) -> Result<Format, u16> {
        let mut headers = HeaderMap::new();
        for v in values {
            headers.append(ACCEPT, v.parse().unwrap());
        }
        response_format(&headers).map_err(|e| e.status())
    }

    #[test]
    fn accept_picks_the_preferred_format() {
        use Format::*;
        for (values, expected) in [
            (&[][..], Ok(Json)),
            (&["*/*"][..], Ok(Json)),
            (&["application/xml"][..], Ok(Xml)),
            (&["Application/XML; charset=utf-8"][..], Ok(Xml)),
            (&["application/json, application/xml"][..], Ok(Json)),
            (&["application/xml, */*"][..], Ok(Xml)),
            (&["application/json;q=0.5, application/xml"][..], Ok(Xml)),
            (&["application/xml;q=0, */*"][..], Ok(Json)),
            (&["text/html", "application/xml"][..], Ok(Xml)),
            (&["application/*"][..], Ok(Json)),
            (&["text/html"][..], Err(406)),
            (&["application/json;q=0"][..], Err(406)),
            (&["text/xml, image/png"][..], Err(406)),
        ] {
            assert_eq!(accept(values), expected, "{values:?}");
        }
    }

    #[test]
    fn body_types_are_json_or_xml_with_any_parameters() {
        let format = |ct: Option<&str>| {
            let mut headers = HeaderMap::new();
            if let Some(ct) = ct {
                headers.insert(CONTENT_TYPE, ct.parse().unwrap());
            }
            body_format(&headers).map_err(|e| e.status())
        };
        assert_eq!(format(Some("application/json")), Ok(Format::Json));
        assert_eq!(
            format(Some("application/xml; charset=UTF-8")),
            Ok(Format::Xml)
        );
        assert_eq!(format(Some("text/plain")), Err(415));
        assert_eq!(format(Some("text/xml")), Err(415));
        assert_eq!(format(None), Err(415));
    }
}
