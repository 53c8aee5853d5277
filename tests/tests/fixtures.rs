//! Every function binary, invoked with its `events/` fixture through the emulated Lambda
//! Runtime API (`local-api invoke`, the stand-in for `sam local invoke -e`), answers as expected.

use serde_json::Value;
use std::path::Path;
use std::process::Command;

#[test]
fn each_fixture_invokes_its_function() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root");
    let admin = std::env::var("MFA_ADMIN").expect("MFA_ADMIN is set by make test");
    let bin_dir = Path::new(&admin).parent().expect("bin dir");
    for entry in std::fs::read_dir(root.join("events")).expect("events/") {
        let path = entry.expect("entry").path();
        let binary = path.file_stem().unwrap().to_string_lossy().into_owned();
        let out = Command::new(bin_dir.join("local-api"))
            .args(["invoke", &binary, "--event"])
            .arg(&path)
            .arg("--bin-dir")
            .arg(bin_dir)
            .output()
            .expect("run local-api invoke");
        assert!(
            out.status.success(),
            "{binary}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let result: Value =
            serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{binary}: {e}"));
        // The fixtures carry a token id (or credentials) no deployment issued, and not-found an
        // unknown path: every function runs its real code down to a fault in the right format.
        // The console asks for no token: its fixture gets the page.
        if binary == "console" {
            assert_eq!(result["statusCode"], 200, "{binary}: {result}");
            let body = result["body"].as_str().expect("body");
            assert!(body.starts_with("<!doctype html>"), "{binary}: {body}");
            continue;
        }
        let (status, fault) = match binary.as_str() {
            "not-found" => (404, "itemNotFound"),
            _ => (401, "unauthorized"),
        };
        assert_eq!(result["statusCode"], status, "{binary}: {result}");
        let body: Value =
            serde_json::from_str(result["body"].as_str().expect("body")).expect("JSON body");
        assert_eq!(body[fault]["code"], status, "{binary}: {body}");
    }
}
