//! The page's files and the headers they leave with. The Content-Security-Policy allows only
//! this origin (no inline script or style, images also as `data:` for the authenticator app's QR
//! code, no framing), so an injected string can neither run nor be framed.

use mfa_shared::error::msg;
use mfa_shared::{ApiError, Body, Response};

pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
    base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const HTML: &str = "text/html; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";
const JS: &str = "text/javascript; charset=utf-8";

/// (name under /console/, media type, content). The page itself is `/console`.
pub const ASSETS: &[(&str, &str, &str)] = &[
    ("console.css", CSS, include_str!("../assets/console.css")),
    ("app.js", JS, include_str!("../assets/app.js")),
    ("api.js", JS, include_str!("../assets/api.js")),
    ("words.js", JS, include_str!("../assets/words.js")),
    ("view.js", JS, include_str!("../assets/view.js")),
    ("signin.js", JS, include_str!("../assets/signin.js")),
    ("security.js", JS, include_str!("../assets/security.js")),
    ("phone.js", JS, include_str!("../assets/phone.js")),
    (
        "authenticator.js",
        JS,
        include_str!("../assets/authenticator.js"),
    ),
    (
        "securitykey.js",
        JS,
        include_str!("../assets/securitykey.js"),
    ),
    ("webauthn.js", JS, include_str!("../assets/webauthn.js")),
    ("bypass.js", JS, include_str!("../assets/bypass.js")),
    ("devices.js", JS, include_str!("../assets/devices.js")),
];

const PAGE: &str = include_str!("../assets/index.html");

/// What a path answers: the page, one of its assets, or 404 `itemNotFound`.
pub fn answer(path: &str) -> Response<Body> {
    let name = path.trim_end_matches('/').strip_prefix("/console");
    let found = match name {
        Some("") => Some((HTML, PAGE)),
        Some(rest) => rest
            .strip_prefix('/')
            .and_then(|n| ASSETS.iter().find(|(asset, _, _)| *asset == n))
            .map(|(_, media, content)| (*media, *content)),
        None => None,
    };
    match found {
        Some((media, content)) => file(media, content),
        None => ApiError::not_found(msg::NOT_FOUND_ROUTE).into_response(),
    }
}

fn file(media: &str, content: &'static str) -> Response<Body> {
    Response::builder()
        .status(200)
        .header("Content-Type", media)
        .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .header("X-Content-Type-Options", "nosniff")
        .header("X-Frame-Options", "DENY")
        .header("Referrer-Policy", "no-referrer")
        // Revalidated on every visit: a deploy is seen at once.
        .header("Cache-Control", "no-cache")
        .body(Body::from(content))
        .expect("static headers are valid")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header<'a>(r: &'a Response<Body>, name: &str) -> &'a str {
        r.headers()[name].to_str().unwrap()
    }

    #[test]
    fn the_page_and_every_asset_with_its_type_and_policy() {
        for (path, media) in [
            ("/console", HTML),
            ("/console/", HTML),
            ("/console/app.js", JS),
            ("/console/console.css", CSS),
        ] {
            let r = answer(path);
            assert_eq!(r.status(), 200, "{path}");
            assert_eq!(header(&r, "Content-Type"), media, "{path}");
            assert_eq!(
                header(&r, "Content-Security-Policy"),
                CONTENT_SECURITY_POLICY
            );
            assert_eq!(header(&r, "X-Content-Type-Options"), "nosniff");
        }
        // Every asset, under its own name, with the type its extension says.
        for (name, media, _) in ASSETS {
            let r = answer(&format!("/console/{name}"));
            assert_eq!(r.status(), 200, "{name}");
            assert_eq!(header(&r, "Content-Type"), *media, "{name}");
            let expected = match name.rsplit_once('.').map(|(_, ext)| ext) {
                Some("js") => JS,
                Some("css") => CSS,
                other => panic!("{name}: an asset of unknown extension {other:?}"),
            };
            assert_eq!(*media, expected, "{name}");
        }
        for path in ["/console/nothing.js", "/console/app.js/x", "/consoles", "/"] {
            assert_eq!(answer(path).status(), 404, "{path}");
        }
    }

    /// Every file the page or a module names (`/console/x` or an import `./x.js`) is served,
    /// and every served file is named somewhere: no dead asset, no broken link.
    #[test]
    fn files_named_and_files_served_are_the_same() {
        let mut named = std::collections::BTreeSet::new();
        for text in ASSETS.iter().map(|(_, _, c)| *c).chain([PAGE]) {
            for part in text.split(['"', '\'']) {
                if let Some(n) = part
                    .strip_prefix("/console/")
                    .or_else(|| part.strip_prefix("./"))
                {
                    named.insert(n.to_owned());
                }
            }
        }
        let served: std::collections::BTreeSet<_> =
            ASSETS.iter().map(|(n, _, _)| n.to_string()).collect();
        assert_eq!(named, served);
    }

    /// The policy forbids inline script and style; the page must not need them.
    #[test]
    fn nothing_inline() {
        let lower = PAGE.to_lowercase();
        for tag in lower.split("<script").skip(1) {
            let open = &tag[..tag.find('>').unwrap()];
            assert!(open.contains("src="), "inline script: <script{open}>");
        }
        assert!(!lower.contains("<style"), "inline style element");
        assert!(!lower.contains(" style="), "inline style attribute");
        assert!(
            !lower
                .split_whitespace()
                .any(|w| w.starts_with("on") && w.contains("=\"")),
            "inline event handler"
        );
        // Markup is never built from strings: text goes in as textContent only.
        for (name, _, content) in ASSETS {
            for sink in [
                "innerHTML",
                "outerHTML",
                "insertAdjacentHTML",
                "document.write",
                "eval(",
                "new Function",
                "setAttribute(\"on",
                "createContextualFragment",
            ] {
                assert!(!content.contains(sink), "{name}: {sink}");
            }
        }
    }
}
