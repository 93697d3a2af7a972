//! The demo county (`xiaoan demo`, `xiaoan serve --demo`): fills an empty database with a
//! rural county — a bureau, a central school, six schools with their grades, classes,
//! staff, leadership groups and a handful of logins — described by the tables below.

use crate::{App, Result};
use domain::org::{NewUnit, OrgUnit, SchoolKind, SchoolProfile, UnitKind};
use domain::person::Person;
use domain::role::Role::{self, *};
use domain::scope::Scope;
use std::collections::HashMap;
use store::{NewUser, Write};

/// A demo account, listed for whoever starts the demo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoLogin {
    pub username: String,
    pub name: String,
    /// The i18n key of the account's main role.
    pub role_label_key: String,
    /// The unit where that role is held.
    pub unit_name: String,
}

/// One person of a unit: the roles they hold there, their login, and their seat in the
/// school's leadership group as (position, duty).
#[derive(Clone, Copy)]
struct Member {
    name: &'static str,
    roles: &'static [Role],
    login: Option<&'static str>,
    group: Option<(&'static str, &'static str)>,
}

const fn p(name: &'static str, roles: &'static [Role]) -> Member {
    Member {
        name,
        roles,
        login: None,
        group: None,
    }
}

impl Member {
    const fn login(self, username: &'static str) -> Self {
        Member {
            login: Some(username),
            ..self
        }
    }

    const fn group(self, position: &'static str, duty: &'static str) -> Self {
        Member {
            group: Some((position, duty)),
            ..self
        }
    }
}

/// A class: its name, its head teacher and (optionally) its info liaison. The head teacher
/// of a grade's first class also leads the grade group.
type Class = (&'static str, &'static str, Option<&'static str>);

/// A school: where it sits, what it is, its grades and its staff (people named only in the
/// class table are created as they appear there).
struct SchoolPlan {
    name: &'static str,
    /// Run by the bureau directly rather than through the central school.
    county: bool,
    profile: SchoolProfile,
    grades: &'static [(&'static str, &'static [Class])],
    staff: &'static [Member],
}

const fn profile(kind: SchoolKind, boarding: bool, has_canteen: bool) -> SchoolProfile {
    SchoolProfile {
        kind,
        boarding,
        has_canteen,
    }
}

const LEADER: &str = "leader";
const DEPUTY: &str = "deputy";
const MEMBER: &str = "member";
const HEAD_DUTY: &str = "全面負責學校安全穩定工作";
const SAFETY_DUTY: &str = "負責日常安全巡查與隱患台賬";
const GOVERNANCE_DUTY: &str = "負責綜治維穩與矛盾糾紛排查化解";
const CANTEEN_DUTY: &str = "負責食堂食品安全與陪餐制度";
const DOCTOR_DUTY: &str = "負責晨午檢、因病缺課追蹤與傳染病防控";
const COUNSEL_DUTY: &str = "負責心理健康教育與心理危機干預";

const BUREAU: &str = "青山縣教育局";
const BUREAU_STAFF: &[Member] = &[
    p("張志強", &[BureauAdmin]).login("admin"),
    p("劉玉蘭", &[BureauStaff]),
];
const CENTRAL: &str = "青山鎮中心學校";
const CENTRAL_STAFF: &[Member] = &[
    p("楊德勝", &[CentralAdmin]).login("central"),
    p("吳麗華", &[CentralStaff]),
];

const SCHOOLS: &[SchoolPlan] = &[
    SchoolPlan {
        name: "青山鎮中心國小",
        county: false,
        profile: profile(SchoolKind::Primary, false, true),
        grades: &[
            (
                "一年級",
                &[
                    ("一年一班", "陳美玲", Some("謝小紅")),
                    ("一年二班", "周婷", Some("謝小紅")),
                ],
            ),
            ("二年級", &[("二年一班", "鄭海燕", Some("謝小紅"))]),
            ("三年級", &[("三年一班", "何志勇", None)]),
            ("四年級", &[("四年一班", "羅建華", None)]),
            ("五年級", &[("五年一班", "梁紅梅", None)]),
            ("六年級", &[("六年一班", "黃麗娟", Some("何志勇"))]),
        ],
        staff: &[
            p("王建國", &[Principal])
                .login("principal")
                .group(LEADER, HEAD_DUTY),
            p("李秀英", &[VicePrincipal, DutyLeader]).group(DEPUTY, "分管校園安全與隱患排查"),
            p("陳志明", &[SafetyOfficer])
                .login("safety")
                .group(MEMBER, SAFETY_DUTY),
            p("陳美玲", &[Teacher]).login("teacher"),
            p("劉國強", &[GateGuard]).login("gate"),
            p("林淑芬", &[SchoolDoctor])
                .login("doctor")
                .group(MEMBER, DOCTOR_DUTY),
            p("孫桂芳", &[CanteenManager])
                .login("canteen")
                .group(MEMBER, CANTEEN_DUTY),
            p("鄭海燕", &[Counsellor, Teacher])
                .login("counsellor")
                .group(MEMBER, COUNSEL_DUTY),
            p("趙永剛", &[LegalVicePrincipal])
                .login("legal")
                .group(MEMBER, "青山鎮派出所民警，負責法治教育與警校聯動"),
            p("馬春生", &[LegalCounsellor]).group(MEMBER, "青山村治保主任，協助校園周邊治安巡防"),
            p("黃麗娟", &[GovernanceOffice, Teacher]).group(MEMBER, GOVERNANCE_DUTY),
            p("何志勇", &[DutyTeacher, Teacher]),
            p("梁紅梅", &[DutyTeacher, Teacher]),
            p("謝小紅", &[Teacher]),
        ],
    },
    SchoolPlan {
        name: "青山鎮第二國小",
        county: false,
        profile: profile(SchoolKind::Primary, false, false),
        grades: &[
            ("一年級", &[("一年一班", "蔣麗", Some("沈燕"))]),
            ("二年級", &[("二年一班", "沈燕", None)]),
            ("三年級", &[("三年一班", "唐建軍", None)]),
            ("四年級", &[("四年一班", "馮秀珍", None)]),
            ("五年級", &[("五年一班", "董海波", Some("曹立新"))]),
            ("六年級", &[("六年一班", "曹立新", None)]),
        ],
        staff: &[
            p("胡德明", &[Principal])
                .login("p2.principal")
                .group(LEADER, HEAD_DUTY),
            p("高玉梅", &[VicePrincipal, DutyLeader]).group(DEPUTY, "分管校園安全與值班值守"),
            p("曹立新", &[SafetyOfficer, Teacher]).group(MEMBER, SAFETY_DUTY),
            p("蔣麗", &[DutyTeacher, Teacher]),
            p("潘永福", &[GateGuard]),
            p("錢偉", &[LegalVicePrincipal])
                .group(MEMBER, "青山鎮派出所民警，負責法治教育與警校聯動"),
            p("鄧長福", &[LegalCounsellor]).group(MEMBER, "新街村治保主任，協助上下學時段護學"),
        ],
    },
    SchoolPlan {
        name: "柳溪村國小",
        county: false,
        profile: profile(SchoolKind::Primary, true, true),
        grades: &[
            ("一年級", &[("一年一班", "賈春燕", None)]),
            ("二年級", &[("二年一班", "賈春燕", None)]),
            ("三年級", &[("三年一班", "夏永平", None)]),
            ("四年級", &[("四年一班", "夏永平", None)]),
            ("五年級", &[("五年一班", "任麗萍", Some("蔡明輝"))]),
            ("六年級", &[("六年一班", "蔡明輝", None)]),
        ],
        staff: &[
            p("朱國華", &[Principal])
                .login("lx.principal")
                .group(LEADER, HEAD_DUTY),
            p("彭秀梅", &[VicePrincipal, SafetyOfficer]).group(DEPUTY, "分管寄宿生管理與校園安全"),
            p("蔡明輝", &[DutyLeader, Teacher]).group(MEMBER, "負責夜間值班與宿舍巡查"),
            p("賈春燕", &[DutyTeacher, Teacher]),
            p("呂大勇", &[GateGuard]),
            p("蘇桂珍", &[CanteenManager]).group(MEMBER, CANTEEN_DUTY),
            p("盧曉華", &[SchoolDoctor]).group(MEMBER, "負責寄宿生晨午晚檢與衛生防疫"),
            p("魏軍", &[LegalVicePrincipal])
                .group(MEMBER, "青山鎮派出所民警，負責法治教育與防溺水宣傳"),
            p("田富貴", &[LegalCounsellor]).group(MEMBER, "柳溪村治保主任，協助河道與周邊巡防"),
        ],
    },
    SchoolPlan {
        name: "石橋村國小",
        county: false,
        profile: profile(SchoolKind::Primary, false, false),
        grades: &[
            ("一年級", &[("一年一班", "方麗君", Some("侯春梅"))]),
            ("二年級", &[("二年一班", "侯春梅", None)]),
            ("三年級", &[("三年一班", "范長青", None)]),
        ],
        staff: &[
            p("范長青", &[Principal, DutyLeader])
                .login("sq.principal")
                .group(LEADER, HEAD_DUTY),
            p("方麗君", &[VicePrincipal, SafetyOfficer]).group(DEPUTY, "分管校園安全與隱患排查"),
            p("侯春梅", &[DutyTeacher, Teacher]),
            p("邱福生", &[GateGuard]),
            p("崔建平", &[LegalVicePrincipal]).group(MEMBER, "青山鎮派出所民警，負責法治教育"),
            p("薛金山", &[LegalCounsellor]).group(MEMBER, "石橋村治保主任，協助校園周邊治安巡防"),
        ],
    },
    SchoolPlan {
        name: "青山鎮中心幼稚園",
        county: false,
        profile: profile(SchoolKind::Kindergarten, false, true),
        grades: &[
            ("小班組", &[("小一班", "陸小燕", None)]),
            ("中班組", &[("中一班", "顧佳慧", None)]),
            ("大班組", &[("大一班", "龔麗", Some("陸小燕"))]),
        ],
        staff: &[
            p("葉曉紅", &[Principal])
                .login("kg.principal")
                .group(LEADER, HEAD_DUTY),
            p("汪靜", &[VicePrincipal, SafetyOfficer]).group(DEPUTY, "分管安全保衛與幼兒接送管理"),
            p("陸小燕", &[DutyTeacher, Teacher]),
            p("金福生", &[GateGuard]),
            p("江春蘭", &[CanteenManager]).group(MEMBER, "負責幼兒膳食與食品留樣"),
            p("白雪梅", &[SchoolDoctor]).group(MEMBER, "負責晨檢、全日觀察與傳染病防控"),
            p("鍾偉民", &[LegalVicePrincipal]).group(MEMBER, "青山鎮派出所民警，負責警園聯動"),
            p("孔德貴", &[LegalCounsellor]).group(MEMBER, "青山社區治保主任，協助園門周邊巡防"),
        ],
    },
    SchoolPlan {
        name: "青山縣第一中學",
        county: true,
        profile: profile(SchoolKind::Secondary, true, true),
        grades: &[
            (
                "七年級",
                &[
                    ("七年一班", "史建新", Some("黎明輝")),
                    ("七年二班", "賴文婷", None),
                ],
            ),
            (
                "八年級",
                &[("八年一班", "陶紅", None), ("八年二班", "黎明輝", None)],
            ),
            (
                "九年級",
                &[
                    ("九年一班", "孟凡超", Some("邵建華")),
                    ("九年二班", "邵建華", None),
                ],
            ),
        ],
        staff: &[
            p("鄒國棟", &[Principal])
                .login("ms.principal")
                .group(LEADER, HEAD_DUTY),
            p("熊衛東", &[VicePrincipal, DutyLeader]).group(DEPUTY, "分管安全保衛與寄宿生管理"),
            p("秦志剛", &[SafetyOfficer]).group(MEMBER, SAFETY_DUTY),
            p("邵建華", &[GovernanceOffice, Teacher]).group(MEMBER, GOVERNANCE_DUTY),
            p("賴文婷", &[Counsellor, Teacher]).group(MEMBER, COUNSEL_DUTY),
            p("黎明輝", &[DutyTeacher, Teacher]),
            p("毛根生", &[GateGuard]),
            p("龍玉珍", &[CanteenManager]).group(MEMBER, CANTEEN_DUTY),
            p("萬小芳", &[SchoolDoctor]).group(MEMBER, DOCTOR_DUTY),
            p("殷海濤", &[LegalVicePrincipal])
                .group(MEMBER, "城關派出所民警，負責法治教育與警校聯動"),
            p("雷振東", &[LegalCounsellor]).group(MEMBER, "東門社區治保主任，協助校園周邊治安巡防"),
        ],
    },
];

/// The order in which the demo logins are listed.
const LOGIN_ORDER: &[&str] = &[
    "admin",
    "central",
    "principal",
    "safety",
    "teacher",
    "gate",
    "doctor",
    "kg.principal",
    "p2.principal",
    "ms.principal",
    "lx.principal",
    "sq.principal",
    "canteen",
    "counsellor",
    "legal",
];

/// Loads the demo county when the database has no units; returns None when it already has
/// data. Every demo account gets `password`.
pub async fn load_if_empty(app: &App, password: &str) -> Result<Option<Vec<DemoLogin>>> {
    if !app.db.is_empty().await? {
        return Ok(None);
    }
    // One hash shared by every demo account, computed once: argon2 is slow by design and the
    // demo accounts share a password anyway. Only acceptable for the demo; real accounts
    // each get their own salted hash.
    let hash = crate::auth::hash_blocking(password).await;
    let scope = Scope::system("demo");
    let w = app.db.write(&scope, app.now()).await?;
    let mut seed = Seed {
        w,
        hash,
        people: 0,
        logins: Vec::new(),
    };
    let bureau = seed.w.create_root_unit(BUREAU).await?;
    seed.staff(&bureau, BUREAU_STAFF).await?;
    let central = seed
        .unit(&bureau, UnitKind::CentralSchool, CENTRAL, None)
        .await?;
    seed.staff(&central, CENTRAL_STAFF).await?;
    let mut schools = Vec::new();
    for plan in SCHOOLS {
        schools.push(
            seed.school(if plan.county { &bureau } else { &central }, plan)
                .await?,
        );
    }
    let today = app.today();
    crate::demo_work::calendars(&mut seed.w, &bureau, &schools, today).await?;
    crate::demo_work::records(&mut seed.w, &schools, today).await?;
    crate::demo_work::inspections(&mut seed.w, &schools, today).await?;
    let Seed { w, mut logins, .. } = seed;
    w.commit().await?;
    crate::demo_work::reports(app, &scope, &schools, today).await?;
    logins.sort_by_key(|l| {
        LOGIN_ORDER
            .iter()
            .position(|u| *u == l.username)
            .unwrap_or(usize::MAX)
    });
    Ok(Some(logins))
}

/// The open write and what has been created so far.
struct Seed<'s> {
    w: Write<'s>,
    hash: String,
    people: u32,
    logins: Vec<DemoLogin>,
}

impl Seed<'_> {
    async fn unit(
        &mut self,
        parent: &OrgUnit,
        kind: UnitKind,
        name: &str,
        school: Option<SchoolProfile>,
    ) -> Result<OrgUnit> {
        Ok(self
            .w
            .create_unit(
                parent,
                &NewUnit {
                    kind,
                    name: name.to_owned(),
                    school,
                },
            )
            .await?)
    }

    /// A new person in `unit` with a distinct mobile number.
    async fn person(&mut self, unit: &OrgUnit, name: &str) -> Result<Person> {
        self.people += 1;
        let phone = format!("1380013{:04}", (1000 + self.people * 137) % 10_000);
        Ok(self.w.create_person(unit, name, Some(&phone)).await?)
    }

    /// Creates the staff of `unit` with their roles there, group seats and logins.
    async fn staff(
        &mut self,
        unit: &OrgUnit,
        members: &[Member],
    ) -> Result<HashMap<&'static str, Person>> {
        let mut people = HashMap::new();
        for member in members {
            let person = self.person(unit, member.name).await?;
            for role in member.roles {
                self.w.assign_role(&person, *role, unit).await?;
            }
            if let Some((position, duty)) = member.group {
                self.w
                    .add_leadership_member(unit, &person, position, Some(duty))
                    .await?;
            }
            if let Some(username) = member.login {
                let new = NewUser {
                    username: username.to_owned(),
                    password_hash: self.hash.clone(),
                    must_change_password: false,
                };
                self.w.create_user(&person, &unit.path, &new).await?;
                self.logins.push(DemoLogin {
                    username: username.to_owned(),
                    name: person.name.clone(),
                    role_label_key: member.roles[0].label_key(),
                    unit_name: unit.name.clone(),
                });
            }
            people.insert(member.name, person);
        }
        Ok(people)
    }

    /// A school with its staff, grade groups and classes.
    async fn school(&mut self, parent: &OrgUnit, plan: &SchoolPlan) -> Result<OrgUnit> {
        let school = self
            .unit(parent, UnitKind::School, plan.name, Some(plan.profile))
            .await?;
        let mut people = self.staff(&school, plan.staff).await?;
        for (grade_name, classes) in plan.grades {
            let grade = self
                .unit(&school, UnitKind::GradeGroup, grade_name, None)
                .await?;
            for (i, (class_name, head, liaison)) in classes.iter().enumerate() {
                let class = self.unit(&grade, UnitKind::Class, class_name, None).await?;
                let head = self.colleague(&school, &mut people, head).await?;
                if i == 0 {
                    self.w.assign_role(&head, GradeLeader, &grade).await?;
                }
                self.w.assign_role(&head, HeadTeacher, &class).await?;
                if let Some(liaison) = liaison {
                    let liaison = self.colleague(&school, &mut people, liaison).await?;
                    self.w.assign_role(&liaison, InfoLiaison, &class).await?;
                }
            }
        }
        Ok(school)
    }

    /// The school's person with this name, created on first mention.
    async fn colleague(
        &mut self,
        school: &OrgUnit,
        people: &mut HashMap<&'static str, Person>,
        name: &'static str,
    ) -> Result<Person> {
        if let Some(person) = people.get(name) {
            return Ok(person.clone());
        }
        let person = self.person(school, name).await?;
        people.insert(name, person.clone());
        Ok(person)
    }
}
