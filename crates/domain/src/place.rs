//! A school's places and safety equipment (R-HZD-5, R-SEC-1): buildings and key locations
//! (teaching building, laboratory building, dormitories), and extinguishers, hydrants,
//! alarms and cameras with their service and expiry dates — equipment not checked within a
//! month is due (GB 50444-2008 §5.2: extinguishers inspected monthly).

use crate::error::{Invalid, bounded_text};
use crate::ids::{EquipmentId, OrgUnitId, PlaceId};
use serde::{Deserialize, Serialize};
use time::{Date, Duration};

/// Kinds of place; the first three are the seed's key locations (R-HZD-5).
pub const PLACE_KINDS: [&str; 8] = [
    "teaching_building",
    "laboratory_building",
    "dormitory",
    "canteen",
    "playground",
    "gate",
    "office",
    "other",
];

/// Kinds of safety equipment (R-SEC-1).
pub const EQUIPMENT_KINDS: [&str; 6] = [
    "extinguisher",
    "hydrant",
    "alarm",
    "camera",
    "emergency_light",
    "other",
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    pub id: PlaceId,
    pub school_id: OrgUnitId,
    pub school_path: String,
    pub name: String,
    pub kind: String,
}

impl Place {
    /// One of the seed's key locations.
    pub fn is_key(&self) -> bool {
        PLACE_KINDS[..3].contains(&self.kind.as_str())
    }

    pub fn parse(name: &str, kind: &str) -> Result<(String, String), Invalid> {
        let mut errors = Invalid::default();
        let name = errors.take(bounded_text("name", name, 60));
        if !PLACE_KINDS.contains(&kind.trim()) {
            errors.push("kind", "error.choose_one");
        }
        errors.into_result()?;
        Ok((name.unwrap_or_default(), kind.trim().to_owned()))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Equipment {
    pub id: EquipmentId,
    pub school_id: OrgUnitId,
    pub school_path: String,
    pub place: String,
    pub kind: String,
    pub label: String,
    pub serviced_on: Option<Date>,
    pub expires_on: Option<Date>,
    pub checked_on: Option<Date>,
}

/// Where a piece of equipment stands today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EquipmentState {
    Ok,
    /// Not checked within a month (or never).
    CheckDue,
    /// Past its expiry date.
    Expired,
}

impl EquipmentState {
    pub const ALL: [EquipmentState; 3] = [
        EquipmentState::Ok,
        EquipmentState::CheckDue,
        EquipmentState::Expired,
    ];

    pub fn code(self) -> &'static str {
        match self {
            EquipmentState::Ok => "ok",
            EquipmentState::CheckDue => "check_due",
            EquipmentState::Expired => "expired",
        }
    }
}

impl Equipment {
    /// Its state today, when it is due `check_days` after each check (the policy's).
    pub fn state(&self, today: Date, check_days: u16) -> EquipmentState {
        if self.expires_on.is_some_and(|d| d < today) {
            EquipmentState::Expired
        } else if self
            .checked_on
            .is_none_or(|d| today - d > Duration::days(i64::from(check_days)))
        {
            EquipmentState::CheckDue
        } else {
            EquipmentState::Ok
        }
    }

    /// The day its next check is due.
    pub fn check_due_on(&self, check_days: u16) -> Option<Date> {
        self.checked_on
            .map(|d| d + Duration::days(i64::from(check_days)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn extinguisher(checked: Option<Date>, expires: Option<Date>) -> Equipment {
        Equipment {
            id: EquipmentId::new(),
            school_id: OrgUnitId::new(),
            school_path: "/a/".into(),
            place: "教學樓一樓".into(),
            kind: "extinguisher".into(),
            label: "MFZ/ABC4 #1".into(),
            serviced_on: None,
            expires_on: expires,
            checked_on: checked,
        }
    }

    #[test]
    fn equipment_is_due_monthly_and_expires() {
        const MONTHLY: u16 = crate::policy::DEFAULT_EQUIPMENT_CHECK_DAYS;
        let today = date!(2026 - 11 - 28);
        assert_eq!(
            extinguisher(None, None).state(today, MONTHLY),
            EquipmentState::CheckDue
        );
        assert_eq!(
            extinguisher(Some(date!(2026 - 11 - 20)), None).state(today, MONTHLY),
            EquipmentState::Ok
        );
        assert_eq!(
            extinguisher(Some(date!(2026 - 10 - 20)), None).state(today, MONTHLY),
            EquipmentState::CheckDue
        );
        assert_eq!(
            extinguisher(Some(date!(2026 - 11 - 20)), Some(date!(2026 - 11 - 01)))
                .state(today, MONTHLY),
            EquipmentState::Expired
        );
        // The policy's number decides: checked 20 days ago is due under a 14-day rule.
        assert_eq!(
            extinguisher(Some(date!(2026 - 11 - 08)), None).state(today, 14),
            EquipmentState::CheckDue
        );
        assert_eq!(
            extinguisher(Some(date!(2026 - 11 - 08)), None).check_due_on(14),
            Some(date!(2026 - 11 - 22))
        );
    }

    #[test]
    fn key_locations_are_the_seeds() {
        assert!(Place::parse("宿舍樓", "dormitory").is_ok());
        assert!(Place::parse("", "castle").is_err());
    }
}
