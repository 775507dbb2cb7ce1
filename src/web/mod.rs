//! The bridge between the browser and the core: the only Rust that knows JavaScript exists.
//!
//! It runs in KeyScope's engine frame (an extension page, so nuget.org's Content-Security-Policy
//! never applies to compiling this module). The frame's script hands every message from the
//! content script to [`WebEngine::handle`] and posts the answer back; this file only converts
//! between JavaScript values and the core's [`Request`]/[`Response`] types.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::engine::{Engine, Request};

/// KeyScope's engine as JavaScript sees it.
#[wasm_bindgen(js_name = Engine)]
pub struct WebEngine {
    inner: Engine,
}

#[wasm_bindgen(js_class = Engine)]
impl WebEngine {
    #[wasm_bindgen(constructor)]
    pub fn new() -> WebEngine {
        WebEngine {
            inner: Engine::new(),
        }
    }

    /// Answers one request, a plain object as the content script posted it. The answer is a
    /// plain object too, with `computeMs`: the time spent in Rust, for the benchmarks.
    ///
    /// The answer is written as JSON text and parsed once by the browser: a preview's answer
    /// holds hundreds of small objects (its view trees), and building them one by one from
    /// Rust, a call across to JavaScript per field, took most of a keystroke's time.
    pub fn handle(&mut self, request: JsValue) -> Result<JsValue, JsError> {
        let started = now();
        let request: Request = serde_wasm_bindgen::from_value(request).map_err(|error| {
            JsError::new(&format!("KeyScope could not read a request: {error}"))
        })?;
        let response = self.inner.handle(request);
        let text = serde_json::to_string(&response).map_err(|error| {
            JsError::new(&format!("KeyScope could not write an answer: {error}"))
        })?;
        let answer = js_sys::JSON::parse(&text)
            .map_err(|_| JsError::new("KeyScope could not write an answer"))?;
        js_sys::Reflect::set(
            &answer,
            &JsValue::from_str("computeMs"),
            &JsValue::from_f64(now() - started),
        )
        .map_err(|_| JsError::new("KeyScope could not time an answer"))?;
        Ok(answer)
    }
}

impl Default for WebEngine {
    fn default() -> Self {
        WebEngine::new()
    }
}

/// `performance.now()` of the frame, or 0 where there is none.
fn now() -> f64 {
    js_sys::global()
        .dyn_into::<web_sys::Window>()
        .ok()
        .and_then(|window| window.performance())
        .map_or(0.0, |performance| performance.now())
}
