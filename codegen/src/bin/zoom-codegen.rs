//! Runs the codegen pipeline outside a build, for maintainers reviewing a new export:
//! `cargo run -p zoom-chat-reports-codegen -- spec/codegen.json [--inner-type PATH]`
//! prints the warnings and writes the OpenAPI document and the Rust source to stdout-named files.

use std::path::PathBuf;
use std::process::ExitCode;

use zoom_chat_reports_codegen::{GenerateOptions, build};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(config) = args.next() else {
        eprintln!("usage: zoom-codegen CONFIG.json [OUT_DIR] [--inner-type RUST_PATH]");
        return ExitCode::from(2);
    };
    let mut out_dir = PathBuf::from(".");
    let mut options = GenerateOptions::default();
    while let Some(arg) = args.next() {
        if arg == "--inner-type" {
            options.inner_type = args.next();
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
