//! stub

catalogue! {
    placeholder: "x", "x";
}
