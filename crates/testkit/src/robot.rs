//! A group robot for the tests: an HTTP endpoint on a local port that keeps every JSON
//! message posted to it and answers as DingTalk and WeCom do (`{"errcode":0}`).

use axum::Json;
use axum::routing::post;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};

pub struct Robot {
    pub url: String,
    pub messages: Arc<Mutex<Vec<Value>>>,
}

impl Robot {
    pub async fn start() -> Robot {
        let messages: Arc<Mutex<Vec<Value>>> = Arc::new(Mutex::new(Vec::new()));
        let store = messages.clone();
        let router = axum::Router::new().route(
            "/robot/send",
            post(move |Json(body): Json<Value>| {
                let store = store.clone();
                async move {
                    store.lock().unwrap().push(body);
                    Json(json!({ "errcode": 0, "errmsg": "ok" }))
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            axum::serve(listener, router).await.unwrap();
        });
        Robot {
            url: format!("http://{addr}/robot/send?access_token=test"),
            messages,
        }
    }

    pub fn received(&self) -> Vec<Value> {
        self.messages.lock().unwrap().clone()
    }
}
