#![no_main]
//! The legacy detector and codecs never panic; encode then decode is exact.

use hoithi_text::legacy::{Legacy, decode, detect, encode, from_font_name};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Bytes as an old editor would have stored them (one byte, one Latin-1 char).
    let latin1: String = data.iter().map(|&b| char::from(b)).collect();
    let _ = detect(&latin1);
    let _ = from_font_name(&latin1);
    for enc in [Legacy::Tcvn3, Legacy::Tcvn3Caps, Legacy::Vni, Legacy::Viqr] {
        let _ = decode(&latin1, enc);
    }
    let Ok(s) = std::str::from_utf8(data) else { return };
    let _ = detect(s);
    for enc in [Legacy::Tcvn3, Legacy::Tcvn3Caps, Legacy::Vni] {
        if let Some(e) = encode(s, enc) {
            assert_eq!(decode(&e, enc), s, "{enc:?} round trip");
        }
    }
});
