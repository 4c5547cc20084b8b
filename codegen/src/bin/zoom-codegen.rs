//! Runs the codegen pipeline outside a build, for maintainers reviewing a new export:
//! `cargo run -p zoom-chat-reports-codegen -- spec/codegen.json [OUT_DIR] [--inner-type PATH]`
//! prints the warnings and writes `openapi.json` and `generated.rs` to OUT_DIR (default: here).
//!
//! `... -- extract EXPORT.json CONFIG.json > COLLECTION.json` prints Zoom's
//! export cut down to the operations CONFIG lists: the new `spec/` collection.

use std::path::PathBuf;
use std::process::ExitCode;

use zoom_chat_reports_codegen::{build, sdk_generate_options};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1).peekable();
    if args.peek().map(String::as_str) == Some("extract") {
        args.next();
        return extract(args.collect());
    }
    let Some(config) = args.next() else {
        eprintln!("usage: zoom-codegen CONFIG.json [OUT_DIR] [--inner-type RUST_PATH]");
        return ExitCode::from(2);
    };
    let mut out_dir = PathBuf::from(".");
    // What the SDK's build.rs uses, so the output matches spec/snapshots/.
    let mut options = sdk_generate_options();
    while let Some(arg) = args.next() {
        if arg == "--inner-type" {
            options.inner_type = args.next().filter(|t| !t.is_empty());
        } else {
            out_dir = PathBuf::from(arg);
        }
    }
    match build(&PathBuf::from(config), &options) {
        Ok(build) => {
            for warning in &build.warnings {
                eprintln!("warning: {warning}");
            }
            let openapi = out_dir.join("openapi.json");
            let rust = out_dir.join("generated.rs");
            if let Err(e) =
                std::fs::write(&openapi, build.openapi_json()).and_then(|()| std::fs::write(&rust, &build.rust))
            {
                eprintln!("error: cannot write output: {e}");
                return ExitCode::FAILURE;
            }
            eprintln!("wrote {} and {}", openapi.display(), rust.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `extract EXPORT.json CONFIG.json`: the export with only the config's operations, on stdout.
fn extract(args: Vec<String>) -> ExitCode {
    let [export, config] = args.as_slice() else {
        eprintln!("usage: zoom-codegen extract EXPORT.json CONFIG.json > COLLECTION.json");
        return ExitCode::from(2);
    };
    let result = (|| {
        let config_text = std::fs::read_to_string(config)
            .map_err(|e| zoom_chat_reports_codegen::Error::file(config, format!("cannot read it: {e}")))?;
        let value: serde_json::Value = serde_json::from_str(&config_text)
            .map_err(|e| zoom_chat_reports_codegen::Error::file(config, format!("not valid JSON: {e}")))?;
        let operations: Vec<String> = value["operations"]
            .as_array()
            .ok_or_else(|| {
                zoom_chat_reports_codegen::Error::file(config, "`operations` must list the operations to keep")
            })?
            .iter()
            .filter_map(|v| v.as_str().map(String::from))
            .collect();
        let text = std::fs::read_to_string(export)
            .map_err(|e| zoom_chat_reports_codegen::Error::file(export, format!("cannot read it: {e}")))?;
        zoom_chat_reports_codegen::extract::extract(&text, export, &operations)
    })();
    match result {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
