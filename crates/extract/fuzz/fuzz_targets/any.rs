#![no_main]
use libfuzzer_sys::fuzz_target;
#[path = "common.rs"]
mod common;

// Raw bytes with no name: format detection, zip containers, everything.
fuzz_target!(|data: &[u8]| {
    let _ = hoithi_extract::extract(data, None, &common::limits());
});
