package service

import (
	"context"
	"errors"
	"strings"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/password"
	"github.com/okapi-dev/okapi/internal/signin"
	"github.com/okapi-dev/okapi/internal/store"
)

// FactorInput is the body of POST /api/v1/users/{id}/factors (enrollFactor).
type FactorInput struct {
	FactorType string `json:"factorType"`
	Provider   string `json:"provider"`
	Profile    struct {
		Question string `json:"question"`
		Answer   string `json:"answer"`
	} `json:"profile"`
}

// FactorVerify is the body of activate and verify: passCode for TOTP, answer for a question.
type FactorVerify struct {
	StateToken string `json:"stateToken"`
	PassCode   string `json:"passCode"`
	Answer     string `json:"answer"`
}

// SecurityQuestions are Okta's security questions (listSupportedSecurityQuestions), a subset.
var SecurityQuestions = [][2]string{
	{"disliked_food", "What is the food you least liked as a child?"},
	{"name_of_first_plush_toy", "What is the name of your first stuffed animal?"},
	{"first_award", "What did you earn your first medal or award for?"},
	{"favorite_security_question", "What is your favorite security question?"},
	{"favorite_toy", "What is the toy/stuffed animal you liked the most as a kid?"},
	{"first_computer_game", "What was the first computer game you played?"},
	{"favorite_movie_quote", "What is your favorite movie quote?"},
	{"first_sports_team_mascot", "What was the mascot of the first sports team you played on?"},
	{"first_music_purchase", "What music album or song did you first purchase?"},
	{"favorite_art_piece", "What is your favorite piece of art?"},
	{"grandmother_favorite_desert", "What was your grandmother's favorite dessert?"},
	{"first_thing_cooked", "What was the first thing you learned to cook?"},
	{"childhood_dream_job", "What was your dream job as a child?"},
	{"place_where_significant_other_was_met", "Where did you meet your spouse/significant other?"},
	{"favorite_vacation_location", "Where did you go for your favorite vacation?"},
	{"new_years_two_thousand", "Where were you on New Year's Eve in the year 2000?"},
	{"favorite_speaker_actor", "Who is your favorite speaker/orator?"},
	{"favorite_book_movie_character", "Who is your favorite book/movie character?"},
	{"favorite_sports_player", "Who is your favorite sports player?"},
}

func questionText(q string) (string, bool) {
	for _, p := range SecurityQuestions {
		if p[0] == q {
			return p[1], true
		}
	}
	return "", false
}

var errFactorExists = domain.NewError(400, "E0000001", "Api validation failed: factor",
	domain.Cause{Summary: "A factor of this type is already set up."})

// activeFactors lists the user's ACTIVE factors; any makes primary authentication end in
// MFA_REQUIRED.
func (s *Service) activeFactors(ctx context.Context, org, userID string) ([]signin.Factor, error) {
	all, err := s.Store.ListFactors(ctx, org, userID)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, f := range all {
		if f.Status == signin.FactorActive {
			out = append(out, f)
		}
	}
	return out, nil
}

// ListFactors returns a user's enrolled factors (listFactors).
func (s *Service) ListFactors(ctx context.Context, idOrLogin string) ([]signin.Factor, error) {
	org := orgID(ctx)
	u, err := findUser(ctx, s.Store, org, idOrLogin)
	if err != nil {
		return nil, err
	}
	return s.Store.ListFactors(ctx, org, u.ID)
}

// GetFactor returns one factor of a user (getFactor).
func (s *Service) GetFactor(ctx context.Context, idOrLogin, factorID string) (signin.Factor, error) {
	org := orgID(ctx)
	u, err := findUser(ctx, s.Store, org, idOrLogin)
	if err != nil {
		return signin.Factor{}, err
	}
	return s.Store.GetFactor(ctx, org, u.ID, factorID)
}

// EnrollFactor enrols a factor (enrollFactor). TOTP starts PENDING_ACTIVATION and returns its
// shared secret once, for the activation object; a security question is ACTIVE at once.
func (s *Service) EnrollFactor(ctx context.Context, idOrLogin string, in FactorInput) (signin.Factor, string, error) {
	org := orgID(ctx)
	now := s.now(ctx)
	f := signin.Factor{FactorType: in.FactorType, Provider: strings.ToUpper(in.Provider), Created: now, LastUpdated: now,
		Profile: map[string]string{}}
	var secret string
	switch in.FactorType {
	case signin.FactorTOTP:
		if f.Provider != "GOOGLE" && f.Provider != "OKTA" {
			return f, "", domain.Validation("provider", "provider: The provider is not supported for token:software:totp")
		}
		f.ID, f.Status = domain.NewID(s.IDs, signin.PrefixFactorTOTP), signin.FactorPendingActivation
		secret = signin.NewTOTPSecret()
		f.Secret = secret
	case signin.FactorQuestion:
		if f.Provider == "" {
			f.Provider = "OKTA"
		}
		text, ok := questionText(in.Profile.Question)
		if !ok {
			return f, "", domain.Validation("question", "question: The security question is not valid")
		}
		if len(strings.TrimSpace(in.Profile.Answer)) < 4 {
			return f, "", domain.Validation("answer", "answer: The security question answer must be at least 4 characters in length")
		}
		h, err := password.HashAnswer(in.Profile.Answer)
		if err != nil {
			return f, "", err
		}
		f.ID, f.Status, f.Secret = domain.NewID(s.IDs, signin.PrefixFactorQuestion), signin.FactorActive, h
		f.Profile["question"], f.Profile["questionText"] = in.Profile.Question, text
	default:
		return f, "", domain.Validation("factorType", "factorType: The factor type is not supported: "+in.FactorType)
	}
	err := s.update(ctx, func(tx store.Tx) error {
		u, err := findUser(ctx, tx, org, idOrLogin)
		if err != nil {
			return err
		}
		f.UserID = u.ID
		if f.FactorType == signin.FactorTOTP {
			f.Profile["credentialId"] = u.Login()
		}
		existing, err := tx.ListFactors(ctx, org, u.ID)
		if err != nil {
			return err
		}
		for _, e := range existing {
			if e.FactorType == f.FactorType && e.Provider == f.Provider {
				return errFactorExists
			}
		}
		if err := tx.PutFactor(ctx, org, f); err != nil {
			return err
		}
		if f.Status == signin.FactorActive {
			return tx.AppendEvents(ctx, org, s.event(ctx, now, "user.mfa.factor.activate", "Activate factor for user", u.LogTarget()))
		}
		return nil
	})
	return f, secret, err
}

// checkFactor checks a passCode or answer against f and returns f as it is after the check
// (the TOTP step it used).
func checkFactor(f signin.Factor, in FactorVerify, now domain.Time) (signin.Factor, error) {
	switch f.FactorType {
	case signin.FactorTOTP:
		step, err := signin.CheckTOTP(f.Secret, in.PassCode, now.Time, f.LastStep)
		if err != nil {
			return f, err
		}
		f.LastStep = step
	case signin.FactorQuestion:
		if !password.VerifyAnswer(f.Secret, in.Answer) {
			return f, signin.ErrPasscode
		}
	}
	return f, nil
}

// ActivateFactor activates a PENDING_ACTIVATION factor with a current code (activateFactor).
func (s *Service) ActivateFactor(ctx context.Context, idOrLogin, factorID string, in FactorVerify) (signin.Factor, error) {
	org := orgID(ctx)
	var out signin.Factor
	var refused error
	err := s.update(ctx, func(tx store.Tx) error {
		u, err := findUser(ctx, tx, org, idOrLogin)
		if err != nil {
			return err
		}
		f, err := tx.GetFactor(ctx, org, u.ID, factorID)
		if err != nil {
			return err
		}
		if f.Status != signin.FactorPendingActivation {
			return domain.NewError(400, "E0000001", "Api validation failed: factor", domain.Cause{Summary: "Factor is not pending activation."})
		}
		now := s.now(ctx)
		if f, refused = checkFactor(f, in, now); refused != nil {
			return nil
		}
		f.Status, f.LastUpdated = signin.FactorActive, now
		if err := tx.PutFactor(ctx, org, f); err != nil {
			return err
		}
		out = f
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "user.mfa.factor.activate", "Activate factor for user", u.LogTarget()))
	})
	if err == nil {
		err = refused
	}
	return out, err
}

// VerifyFactor checks a code for an ACTIVE factor (verifyFactor); SUCCESS or 403 E0000068.
func (s *Service) VerifyFactor(ctx context.Context, idOrLogin, factorID string, in FactorVerify) error {
	org := orgID(ctx)
	var refused error
	err := s.update(ctx, func(tx store.Tx) error {
		u, err := findUser(ctx, tx, org, idOrLogin)
		if err != nil {
			return err
		}
		f, err := tx.GetFactor(ctx, org, u.ID, factorID)
		if err != nil {
			return err
		}
		if f.Status != signin.FactorActive {
			return domain.NotFound(factorID, "UserFactor")
		}
		now := s.now(ctx)
		ev := s.event(ctx, now, "user.authentication.auth_via_mfa", "Authentication of user via MFA", u.LogTarget())
		if f, refused = checkFactor(f, in, now); refused != nil {
			ev.Fail("INVALID_CREDENTIALS")
			return tx.AppendEvents(ctx, org, ev)
		}
		if err := tx.PutFactor(ctx, org, f); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, ev)
	})
	if err == nil {
		err = refused
	}
	return err
}

// DeleteFactor unenrolls a factor (unenrollFactor).
func (s *Service) DeleteFactor(ctx context.Context, idOrLogin, factorID string) error {
	org := orgID(ctx)
	return s.update(ctx, func(tx store.Tx) error {
		u, err := findUser(ctx, tx, org, idOrLogin)
		if err != nil {
			return err
		}
		if err := tx.DeleteFactor(ctx, org, u.ID, factorID); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, s.now(ctx), "user.mfa.factor.deactivate", "Reset factor for user", u.LogTarget()))
	})
}

// AuthnVerifyFactor is POST /api/v1/authn/factors/{id}/verify in MFA_REQUIRED or
// MFA_CHALLENGE: a right code ends the transaction in SUCCESS with amr pwd+mfa+otp (or kba), a
// wrong one is 403 E0000068 and a replayed TOTP code 403 E0000082; the transaction stays.
func (s *Service) AuthnVerifyFactor(ctx context.Context, factorID string, in FactorVerify) (AuthnResult, error) {
	ctx, err := s.signinCtx(ctx)
	if err != nil {
		return AuthnResult{}, err
	}
	org := orgID(ctx)
	var res AuthnResult
	var refused error
	err = s.update(ctx, func(tx store.Tx) error {
		tok, u, err := s.transaction(ctx, tx, in.StateToken)
		if err != nil {
			return err
		}
		if tok.Status != signin.StatusMFARequired && tok.Status != signin.StatusMFAChallenge {
			return signin.ErrWrongState
		}
		f, err := tx.GetFactor(ctx, org, u.ID, factorID)
		if errors.Is(err, domain.ErrNotFound) || (err == nil && f.Status != signin.FactorActive) {
			return domain.NotFound(factorID, "UserFactor")
		}
		if err != nil {
			return err
		}
		now := s.now(ctx)
		ev := s.userEvent(ctx, now, u, "user.authentication.auth_via_mfa", "Authentication of user via MFA")
		ev.DebugContext.DebugData["factor"] = f.FactorType
		if f, refused = checkFactor(f, in, now); refused != nil {
			ev.Fail("INVALID_CREDENTIALS")
			// The failed try still slides the transaction's expiry.
			tok.ExpiresAt = domain.At(now.Add(signin.StateTokenLifetime))
			if err := tx.PutSigninToken(ctx, org, tok); err != nil {
				return err
			}
			return tx.AppendEvents(ctx, org, ev)
		}
		if err := tx.PutFactor(ctx, org, f); err != nil {
			return err
		}
		if err := tx.AppendEvents(ctx, org, ev); err != nil {
			return err
		}
		method := "otp"
		if f.FactorType == signin.FactorQuestion {
			method = "kba"
		}
		tok.AMR = []string{"pwd", "mfa", method}
		tok.LastFactorVerification = now
		res, err = s.finish(ctx, tx, tok, u, method)
		return err
	})
	if err == nil {
		err = refused
	}
	return res, err
}
