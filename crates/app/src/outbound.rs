//! Where the server may send requests of its own (group-robot webhooks): https only (plain
//! http only to hosts the operator names), and never to loopback, private, link-local,
//! shared or cloud-metadata addresses — checked on the address the name resolves to, at
//! every connection, so a name that later resolves inward is refused too.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// The operator's allowances (`--webhook-allow-http`, `--webhook-allow-private`).
#[derive(Debug, Clone, Default)]
pub struct OutboundPolicy {
    /// Hosts (lower case) that may be reached over plain http.
    pub allow_http_hosts: Vec<String>,
    /// Whether loopback and private-network addresses may be reached.
    pub allow_private: bool,
}

/// Why an address is refused (an i18n key).
pub type Refusal = &'static str;

/// Whether an address is one an outside service never has: this machine, a private or
/// shared network, link-local (cloud metadata at 169.254.169.254), multicast, unspecified.
pub fn is_internal(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b)) // shared address space (RFC 6598)
                || (a == 198 && (b == 18 || b == 19)) // benchmarking (RFC 2544)
                || a >= 240
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_internal(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00 // unique local
                || (first & 0xffc0) == 0xfe80 // link-local
                || (first == 0x2001 && v6.segments()[1] == 0x0db8) // documentation
                || (first == 0x0064 && v6.segments()[1] == 0xff9b) // NAT64 to any IPv4
        }
    }
}

impl OutboundPolicy {
    /// Checks a webhook address as typed: scheme, host, and a host that is an address.
    pub fn check_url(&self, url: &str) -> Result<reqwest::Url, Refusal> {
        let parsed = reqwest::Url::parse(url).map_err(|_| "error.webhook_url")?;
        let host = parsed.host_str().ok_or("error.webhook_url")?.to_lowercase();
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err("error.webhook_url");
        }
        match parsed.scheme() {
            "https" => {}
            "http" if self.allow_http_hosts.contains(&host) => {}
            "http" => return Err("error.webhook_https"),
            _ => return Err("error.webhook_url"),
        }
        let literal = host.trim_start_matches('[').trim_end_matches(']');
        if let Ok(ip) = literal.parse::<IpAddr>()
            && !self.allow_private
            && is_internal(ip)
        {
            return Err("error.webhook_internal");
        }
        if !self.allow_private && (host == "localhost" || host.ends_with(".localhost")) {
            return Err("error.webhook_internal");
        }
        Ok(parsed)
    }

    /// Checks a webhook address as typed, then where its name resolves now.
    pub async fn check(&self, url: &str) -> Result<(), Refusal> {
        let parsed = self.check_url(url)?;
        let host = parsed.host_str().unwrap_or_default().to_owned();
        let port = parsed.port_or_known_default().unwrap_or(443);
        let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), port))
            .await
            .map_err(|_| "error.webhook_unresolved")?
            .collect();
        if addrs.is_empty() {
            return Err("error.webhook_unresolved");
        }
        if !self.allow_private && addrs.iter().any(|a| is_internal(a.ip())) {
            return Err("error.webhook_internal");
        }
        Ok(())
    }

    /// An HTTP client that resolves names through this policy (internal addresses are
    /// dropped at every connection) and never follows redirects.
    pub fn client(&self) -> Result<reqwest::Client, String> {
        reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .dns_resolver(Arc::new(Resolver {
                allow_private: self.allow_private,
            }))
            .build()
            .map_err(|e| e.to_string())
    }
}

/// Resolves with the system resolver, keeping only addresses the policy allows.
struct Resolver {
    allow_private: bool,
}

impl reqwest::dns::Resolve for Resolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let allow_private = self.allow_private;
        Box::pin(async move {
            let addrs: Vec<SocketAddr> = tokio::net::lookup_host((name.as_str(), 0))
                .await?
                .filter(|a| allow_private || !is_internal(a.ip()))
                .collect();
            if addrs.is_empty() {
                return Err(
                    format!("{} resolves only to internal addresses", name.as_str()).into(),
                );
            }
            let addrs: reqwest::dns::Addrs = Box::new(addrs.into_iter());
            Ok(addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_addresses_are_recognised() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
        ] {
            assert!(is_internal(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["8.8.8.8", "120.24.1.1", "2400:3200::1"] {
            assert!(!is_internal(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn urls_must_be_https_and_outside() {
        let strict = OutboundPolicy::default();
        assert!(
            strict
                .check_url("https://oapi.dingtalk.com/robot/send?access_token=x")
                .is_ok()
        );
        assert_eq!(
            strict.check_url("http://oapi.dingtalk.com/robot/send"),
            Err("error.webhook_https")
        );
        for url in [
            "https://127.0.0.1:9/x",
            "https://[::1]/x",
            "https://169.254.169.254/latest/meta-data",
            "https://localhost/x",
            "https://10.0.0.5/hook",
        ] {
            assert_eq!(
                strict.check_url(url),
                Err("error.webhook_internal"),
                "{url}"
            );
        }
        assert_eq!(
            strict.check_url("ftp://example.com/"),
            Err("error.webhook_url")
        );
        assert_eq!(
            strict.check_url("https://u:p@example.com/"),
            Err("error.webhook_url")
        );
        let test = OutboundPolicy {
            allow_http_hosts: vec!["127.0.0.1".into()],
            allow_private: true,
        };
        assert!(test.check_url("http://127.0.0.1:9/robot").is_ok());
    }

    #[test]
    fn other_spellings_of_an_internal_address_are_refused() {
        let strict = OutboundPolicy::default();
        for url in [
            "https://2130706433/x",
            "https://0x7f000001/x",
            "https://127.1/x",
            "https://[::ffff:7f00:1]/x",
            "https://LOCALHOST/x",
            "https://a.localhost/x",
        ] {
            assert_eq!(
                strict.check_url(url),
                Err("error.webhook_internal"),
                "{url}"
            );
        }
    }
}
