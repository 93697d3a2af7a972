//! Browsing the audit log: only where the caller holds `ViewAudit`.

use crate::{App, Error, Result};
use domain::role::Permission;
use domain::scope::Scope;
use store::{AuditFilter, AuditPage};

/// A page of audit entries within the units where the caller may view the audit log.
pub async fn browse(app: &App, scope: &Scope, filter: &AuditFilter) -> Result<AuditPage> {
    if !scope.can_somewhere(Permission::ViewAudit) {
        return Err(Error::Forbidden);
    }
    Ok(app
        .db
        .audit_page(&scope.narrowed_to(Permission::ViewAudit), filter)
        .await?)
}
