//! The time zone a bureau keeps its dates in (issue 8): an IANA name such as
//! `Asia/Shanghai`, read against the zone database bundled in the binary (jiff), so a
//! school's "today", the times shown and the audit filter's days follow the bureau's
//! setting rather than a constant.

use crate::error::Invalid;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::{Date, OffsetDateTime, UtcOffset};

/// A time zone known to the bundled database, by its IANA name.
#[derive(Clone, Debug)]
pub struct Zone {
    name: String,
    tz: jiff::tz::TimeZone,
}

impl Zone {
    /// The zone of a bureau that has not chosen one: China Standard Time.
    pub const DEFAULT: &'static str = "Asia/Shanghai";

    /// Reads an IANA zone name (`Asia/Shanghai`, `Asia/Taipei`, `Europe/London`…).
    pub fn parse(raw: &str) -> Result<Zone, Invalid> {
        let name = raw.trim();
        if name.is_empty() {
            return Err(Invalid::one("time_zone", "error.required"));
        }
        match jiff::tz::db().get(name) {
            Ok(tz) => Ok(Zone {
                name: tz.iana_name().unwrap_or(name).to_owned(),
                tz,
            }),
            Err(_) => Err(Invalid::with_value("time_zone", "zone.unknown", name)),
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The zone's offset from UTC at `at`.
    pub fn offset_at(&self, at: OffsetDateTime) -> UtcOffset {
        let seconds = jiff::Timestamp::from_second(at.unix_timestamp())
            .map_or(8 * 3600, |ts| self.tz.to_offset(ts).seconds());
        UtcOffset::from_whole_seconds(seconds).unwrap_or(UtcOffset::UTC)
    }

    /// `at` as a clock on the wall of this zone shows it.
    pub fn local(&self, at: OffsetDateTime) -> OffsetDateTime {
        at.to_offset(self.offset_at(at))
    }

    /// The day it is in this zone at `at`.
    pub fn today(&self, at: OffsetDateTime) -> Date {
        self.local(at).date()
    }

    /// The first instant of `day` in this zone.
    pub fn start_of(&self, day: Date) -> OffsetDateTime {
        let noon_utc = day.midnight().assume_utc() + time::Duration::hours(12);
        day.midnight().assume_offset(self.offset_at(noon_utc))
    }
}

impl Default for Zone {
    fn default() -> Self {
        Zone::parse(Zone::DEFAULT).unwrap_or_else(|_| Zone {
            // The bundled database always holds Asia/Shanghai; its fixed offset otherwise.
            name: Zone::DEFAULT.to_owned(),
            tz: jiff::tz::TimeZone::fixed(jiff::tz::offset(8)),
        })
    }
}

impl PartialEq for Zone {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for Zone {}

impl Serialize for Zone {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.name)
    }
}

impl<'de> Deserialize<'de> for Zone {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        Zone::parse(&name).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn a_known_name_reads_and_an_unknown_one_is_named() {
        assert_eq!(Zone::parse(" Asia/Taipei ").unwrap().name(), "Asia/Taipei");
        let err = Zone::parse("Asia/Beijing").unwrap_err();
        assert_eq!(err.message_for("time_zone"), Some("zone.unknown"));
        assert_eq!(err.0[0].value.as_deref(), Some("Asia/Beijing"));
        assert_eq!(Zone::default().name(), "Asia/Shanghai");
    }

    #[test]
    fn today_follows_the_zone() {
        let at = datetime!(2026-12-01 20:00 UTC);
        assert_eq!(Zone::default().today(at), date!(2026 - 12 - 02));
        assert_eq!(
            Zone::parse("Europe/London").unwrap().today(at),
            date!(2026 - 12 - 01)
        );
        let start = Zone::default().start_of(date!(2026 - 12 - 02));
        assert_eq!(start, datetime!(2026-12-01 16:00 UTC));
        // Summer time is the zone's, not a constant's.
        let summer = Zone::parse("Europe/London").unwrap();
        assert_eq!(
            summer.offset_at(datetime!(2026-07-01 12:00 UTC)),
            time::macros::offset!(+1)
        );
    }
}
