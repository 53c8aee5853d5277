//! XML on the wire, read with `roxmltree` (a parser independent of the project's quick-xml).

use crate::{Call, Reply};
use std::collections::BTreeMap;

pub const NS_ID: &str = "http://docs.openstack.org/identity/api/v2.0";
pub const NS_RAX: &str = "http://docs.rackspace.com/identity/api/ext/RAX-AUTH/v1.0";

/// An element, owned: namespace, local name, attributes by (namespace, name), children, text.
#[derive(Clone, Debug, PartialEq)]
pub struct Element {
    pub ns: Option<String>,
    pub name: String,
    pub attrs: BTreeMap<(Option<String>, String), String>,
    pub children: Vec<Element>,
    pub text: String,
}

impl Element {
    fn of(node: roxmltree::Node<'_, '_>) -> Self {
        Self {
            ns: node.tag_name().namespace().map(str::to_owned),
            name: node.tag_name().name().to_owned(),
            attrs: node
                .attributes()
                .map(|a| {
                    (
                        (a.namespace().map(str::to_owned), a.name().to_owned()),
                        a.value().to_owned(),
                    )
                })
                .collect(),
            children: node
                .children()
                .filter(|n| n.is_element())
                .map(Element::of)
                .collect(),
            text: node
                .children()
                .filter(|n| n.is_text())
                .filter_map(|n| n.text())
                .collect(),
        }
    }

    /// An unqualified attribute.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.get(&(None, name.to_owned())).map(String::as_str)
    }

    /// An attribute in the RAX-AUTH namespace.
    pub fn rax_attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .get(&(Some(NS_RAX.to_owned()), name.to_owned()))
            .map(String::as_str)
    }

    /// The only child with this namespace and name.
    #[track_caller]
    pub fn child(&self, ns: &str, name: &str) -> &Element {
        let found: Vec<&Element> = self
            .children
            .iter()
            .filter(|c| c.ns.as_deref() == Some(ns) && c.name == name)
            .collect();
        assert_eq!(found.len(), 1, "one <{name}> in {ns} under {self:?}");
        found[0]
    }

    #[track_caller]
    pub fn assert_is(&self, ns: &str, name: &str) -> &Self {
        assert_eq!(
            (self.ns.as_deref(), self.name.as_str()),
            (Some(ns), name),
            "element {self:?}"
        );
        self
    }
}

pub fn parse(text: &str) -> Result<Element, String> {
    roxmltree::Document::parse(text)
        .map(|doc| Element::of(doc.root_element()))
        .map_err(|e| e.to_string())
}

impl Call {
    /// An XML body with `Content-Type: application/xml`.
    pub fn xml(self, body: &str) -> Self {
        self.raw("application/xml", body.as_bytes())
    }

    /// `Accept: application/xml`.
    pub fn accept_xml(self) -> Self {
        self.header("Accept", "application/xml")
    }
}

impl Reply {
    /// The root element of an XML answer (checks the content type).
    #[track_caller]
    pub fn xml(&self) -> Element {
        assert_eq!(
            self.header("content-type").as_deref(),
            Some("application/xml"),
            "content type; body: {}",
            self.text
        );
        parse(&self.text).unwrap_or_else(|e| panic!("body is not XML ({e}): {:?}", self.text))
    }

    /// An XML fault (API.md 4.1): the root named `fault` in the identity namespace, `code` =
    /// status, and a `message` child (exactly `message` when given).
    #[track_caller]
    pub fn assert_xml_fault(&self, status: u16, fault: &str, message: Option<&str>) {
        assert_eq!(self.status, status, "status; body: {}", self.text);
        let root = self.xml();
        root.assert_is(NS_ID, fault);
        assert_eq!(root.attr("code"), Some(status.to_string().as_str()));
        let text = &root.child(NS_ID, "message").text;
        if let Some(m) = message {
            assert_eq!(text, m);
        }
    }
}

/// The secrets an XML request or answer carries, for the log scan.
pub(crate) fn secrets_in(text: &str) -> Vec<String> {
    let Ok(root) = parse(text) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    collect_secrets(&root, &mut found);
    found
}

fn collect_secrets(element: &Element, found: &mut Vec<String>) {
    for ((_, name), value) in &element.attrs {
        match (element.name.as_str(), name.as_str()) {
            (_, "password" | "passcode" | "apiKey") | ("token", "id") => found.push(value.clone()),
            ("bypassCodes", "codes") => found.extend(value.split_whitespace().map(str::to_owned)),
            ("otpDevice", "keyUri") => found.extend(
                value
                    .split("secret=")
                    .nth(1)
                    .and_then(|r| r.split('&').next())
                    .map(str::to_owned),
            ),
            _ => {}
        }
    }
    for child in &element.children {
        collect_secrets(child, found);
    }
}

/// The XML form says what the JSON form says: every scalar member is an attribute (RAX-AUTH ones
/// in that namespace), every object or array a child element, and nothing else is there.
#[track_caller]
pub fn assert_mirrors(element: &Element, json: &serde_json::Value) {
    use serde_json::Value;
    let members = json.as_object().expect("a JSON object");
    let mut attrs = BTreeMap::new();
    for (key, value) in members {
        let (ns, local) = match key.strip_prefix("RAX-AUTH:") {
            Some(local) => (Some(NS_RAX.to_owned()), local),
            None => (None, key.as_str()),
        };
        let child = || {
            element
                .children
                .iter()
                .find(|c| c.name == local)
                .unwrap_or_else(|| panic!("<{local}> under {element:?}"))
        };
        match value {
            Value::Null => {}
            Value::String(s) => {
                attrs.insert((ns, local.to_owned()), s.clone());
            }
            Value::Bool(_) | Value::Number(_) => {
                attrs.insert((ns, local.to_owned()), value.to_string());
            }
            Value::Object(_) => assert_mirrors(child(), value),
            Value::Array(items) => {
                let list = child();
                assert_eq!(list.children.len(), items.len(), "items of <{local}>");
                for (item_element, item) in list.children.iter().zip(items) {
                    match item {
                        Value::String(s) => assert_eq!(&item_element.text, s),
                        other => assert_mirrors(item_element, other),
                    }
                }
            }
        }
    }
    assert_eq!(element.attrs, attrs, "attributes of <{}>", element.name);
}
