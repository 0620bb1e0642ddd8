package domain

import "net/http"

// UserOp is an operation that depends on, and may change, a user's status.
type UserOp string

// The user operations the lifecycle table governs.
const (
	OpActivate               UserOp = "activate"
	OpReactivate             UserOp = "reactivate"
	OpDeactivate             UserOp = "deactivate"
	OpSuspend                UserOp = "suspend"
	OpUnsuspend              UserOp = "unsuspend"
	OpUnlock                 UserOp = "unlock"
	OpResetPassword          UserOp = "reset_password"
	OpExpirePassword         UserOp = "expire_password"
	OpResetFactors           UserOp = "reset_factors"
	OpForgotPassword         UserOp = "forgot_password"
	OpRecoveryQuestionReset  UserOp = "forgot_password_recovery_question"
	OpChangePassword         UserOp = "change_password"
	OpChangeRecoveryQuestion UserOp = "change_recovery_question"
	// OpSetPassword is an admin setting credentials.password on POST/PUT /users/{id}.
	OpSetPassword UserOp = "set_password"
)

// AllUserOps lists every operation of the table, for exhaustive tests and link building.
var AllUserOps = []UserOp{OpActivate, OpReactivate, OpDeactivate, OpSuspend, OpUnsuspend, OpUnlock,
	OpResetPassword, OpExpirePassword, OpResetFactors, OpForgotPassword, OpRecoveryQuestionReset,
	OpChangePassword, OpChangeRecoveryQuestion, OpSetPassword}

// Transition is what an operation does to a user in one status: move it to To (Same keeps
// the status; ToWithoutPassword, when set, applies to users with no password), or refuse with Err.
type Transition struct {
	To                UserStatus
	ToWithoutPassword UserStatus
	Err               *Error
}

// Same means "the status does not change".
const Same UserStatus = ""

// Okta's refusals of lifecycle operations, by operation.
var (
	errAlreadyActive = NewError(http.StatusForbidden, CodeAlreadyActive, "Activation failed because the user is already active")
	errWrongStatus   = NewError(http.StatusForbidden, CodeWrongStatus, "This operation is not allowed in the user's current status.")
	errNotActive     = NewError(http.StatusBadRequest, CodeValidation, "Api validation failed: suspendUser",
		Cause{Summary: "Cannot suspend a user that is not active"})
	errNotSuspended = NewError(http.StatusBadRequest, CodeValidation, "Api validation failed: unsuspendUser",
		Cause{Summary: "Cannot unsuspend a user that is not suspended"})
	errUnlock         = NewError(http.StatusForbidden, CodeUnlockNotAllowed, "Unlock is not allowed for this user.")
	errForgotPassword = NewError(http.StatusForbidden, CodeForgotNotAllowed, "Forgot password not allowed on specified user.")
	errChangePassword = NewError(http.StatusForbidden, CodeChangePwNotAllowed, "Change password not allowed on specified user.")
	errChangeRQ       = NewError(http.StatusForbidden, CodeChangeRQNotAllowed, "Change recovery question not allowed on specified user.")
)

// Short names for the table below.
const (
	sStaged  = StatusStaged
	sProv    = StatusProvisioned
	sActive  = StatusActive
	sRecov   = StatusRecovery
	sExpired = StatusPasswordExpired
	sLocked  = StatusLockedOut
	sSusp    = StatusSuspended
	sDeprov  = StatusDeprovisioned
)

func to(s UserStatus) Transition { return Transition{To: s} }

// activation ends ACTIVE for a user with a password and PROVISIONED (waiting for the user to
// choose one) otherwise.
var activation = Transition{To: sActive, ToWithoutPassword: sProv}

// Lifecycle is Okta's user state machine: for each operation, the statuses it is allowed from
// and where it leads. A status missing from an operation's row is refused with Refusals[op].
// Sources: the v5 spec's descriptions of the UserLifecycle operations (activateUser,
// deactivateUser, reactivateUser, suspendUser, unsuspendUser, unlockUser, resetFactors,
// expirePassword; https://developer.okta.com/docs/api/openapi/okta-management/management/tag/UserLifecycle/).
var Lifecycle = map[UserOp]map[UserStatus]Transition{
	OpActivate: {sStaged: activation, sDeprov: activation},
	// Reactivate re-sends activation to a user who never finished it.
	OpReactivate: {sProv: to(sProv)},
	OpDeactivate: {sStaged: to(sDeprov), sProv: to(sDeprov), sActive: to(sDeprov), sRecov: to(sDeprov),
		sExpired: to(sDeprov), sLocked: to(sDeprov), sSusp: to(sDeprov)},
	OpSuspend:   {sActive: to(sSusp)},
	OpUnsuspend: {sSusp: to(sActive)},
	OpUnlock:    {sLocked: to(sActive)},
	// The user can't sign in until the reset is done.
	OpResetPassword: {sProv: to(sRecov), sActive: to(sRecov), sRecov: to(sRecov), sExpired: to(sRecov),
		sLocked: to(sRecov)},
	OpExpirePassword: {sActive: to(sExpired), sRecov: to(sExpired), sExpired: to(sExpired), sLocked: to(sExpired)},
	OpResetFactors: {sStaged: to(Same), sProv: to(Same), sActive: to(Same), sRecov: to(Same),
		sExpired: to(Same), sLocked: to(Same), sSusp: to(Same)},
	OpForgotPassword: {sActive: to(Same)},
	// Answering the recovery question and choosing a new password completes a recovery.
	OpRecoveryQuestionReset:  {sActive: to(Same), sRecov: to(sActive), sExpired: to(sActive)},
	OpChangePassword:         {sStaged: to(Same), sActive: to(Same), sExpired: to(sActive), sRecov: to(sActive)},
	OpChangeRecoveryQuestion: {sStaged: to(Same), sActive: to(Same), sRecov: to(Same)},
	// An admin setting a password finishes activation, recovery or expiry.
	OpSetPassword: {sStaged: to(Same), sProv: to(sActive), sActive: to(Same), sRecov: to(sActive),
		sExpired: to(sActive), sLocked: to(Same), sSusp: to(Same)},
}

// Refusals is the error each operation gives in a status its row does not list. Activate on an
// ACTIVE user has its own error (see Transit).
var Refusals = map[UserOp]*Error{
	OpActivate:               errWrongStatus,
	OpReactivate:             errWrongStatus,
	OpDeactivate:             errWrongStatus,
	OpSuspend:                errNotActive,
	OpUnsuspend:              errNotSuspended,
	OpUnlock:                 errUnlock,
	OpResetPassword:          errWrongStatus,
	OpExpirePassword:         errWrongStatus,
	OpResetFactors:           errWrongStatus,
	OpForgotPassword:         errForgotPassword,
	OpRecoveryQuestionReset:  errForgotPassword,
	OpChangePassword:         errChangePassword,
	OpChangeRecoveryQuestion: errChangeRQ,
	OpSetPassword:            errWrongStatus,
}

// Creds says which credentials a user has; some operations need one.
type Creds struct{ Password, RecoveryQuestion bool }

// CredsOf returns the credentials u has.
func CredsOf(u User) Creds {
	return Creds{Password: u.HasPassword(), RecoveryQuestion: u.RecoveryQuestion != ""}
}

// Needs is the credential an operation requires on top of an allowed status; without it the
// operation gets the same refusal as in a wrong status.
var Needs = map[UserOp]Creds{
	OpChangePassword:         {Password: true},
	OpChangeRecoveryQuestion: {Password: true},
	OpForgotPassword:         {RecoveryQuestion: true},
	OpRecoveryQuestionReset:  {RecoveryQuestion: true},
}

// Allowed reports whether op may run on a user in status with creds.
func Allowed(status UserStatus, op UserOp, creds Creds) bool {
	_, err := Transit(status, op, creds)
	return err == nil
}

// Transit returns the status a user in status ends in after op, or Okta's refusal. creds
// decides operations that need a credential and the two outcomes of activation.
func Transit(status UserStatus, op UserOp, creds Creds) (UserStatus, error) {
	t, ok := Lifecycle[op][status]
	need := Needs[op]
	if ok && (need.Password && !creds.Password || need.RecoveryQuestion && !creds.RecoveryQuestion) {
		ok = false
	}
	if !ok {
		if op == OpActivate && status == StatusActive {
			return status, errAlreadyActive
		}
		return status, Refusals[op]
	}
	next := t.To
	if !creds.Password && t.ToWithoutPassword != "" {
		next = t.ToWithoutPassword
	}
	if next == Same {
		next = status
	}
	return next, nil
}

// SetStatus moves u to next at now, keeping Okta's dates: statusChanged on every change and
// activated on every arrival in ACTIVE.
func (u *User) SetStatus(next UserStatus, now Time) {
	if next == u.Status {
		return
	}
	if next == StatusActive && u.Status != StatusActive {
		u.Activated = now
	}
	u.Status = next
	u.StatusChanged = now
}
