package service_test

import (
	"errors"
	"net/http"
	"reflect"
	"testing"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/service"
)

// TestCredentialBlanksAreValidationErrors: the credential operations refuse empty required
// fields with 400 E0000001 and one cause per field, before looking the user up (so even for an
// unknown user the answer is 400, not 404), whatever client calls the service.
func TestCredentialBlanksAreValidationErrors(t *testing.T) {
	svc, _, caller := newCachedService(t)
	ctx := domain.WithCaller(t.Context(), caller)
	const nobody = "00unosuchuser0000000"
	cases := []struct {
		name   string
		call   func() error
		causes []string
	}{
		{"change password, both blank", func() error {
			_, err := svc.ChangePassword(ctx, nobody, "", "", false)
			return err
		}, []string{"oldPassword: The field cannot be left blank", "newPassword: The field cannot be left blank"}},
		{"change password, new blank", func() error {
			_, err := svc.ChangePassword(ctx, nobody, "old", "", false)
			return err
		}, []string{"newPassword: The field cannot be left blank"}},
		{"change recovery question, password blank", func() error {
			_, err := svc.ChangeRecoveryQuestion(ctx, nobody, "", service.RecoveryQuestionInput{})
			return err
		}, []string{"password: The field cannot be left blank"}},
		{"recovery reset, both blank", func() error {
			_, err := svc.RecoveryQuestionReset(ctx, nobody, "", "")
			return err
		}, []string{"recovery_question.answer: The field cannot be left blank", "password.value: The field cannot be left blank"}},
		{"recovery reset, answer given", func() error {
			_, err := svc.RecoveryQuestionReset(ctx, nobody, "blue", "")
			return err
		}, []string{"password.value: The field cannot be left blank"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var de *domain.Error
			if err := c.call(); !errors.As(err, &de) {
				t.Fatalf("err = %v, want a *domain.Error", err)
			}
			if de.Status != http.StatusBadRequest || de.Code != domain.CodeValidation {
				t.Errorf("status %d code %s, want 400 %s", de.Status, de.Code, domain.CodeValidation)
			}
			var got []string
			for _, cause := range de.Causes {
				got = append(got, cause.Summary)
			}
			if !reflect.DeepEqual(got, c.causes) {
				t.Errorf("causes %q, want %q", got, c.causes)
			}
		})
	}
	// Filled in, the same calls reach the user lookup: 404 for the unknown user.
	var de *domain.Error
	if _, err := svc.ChangePassword(ctx, nobody, "old", "new", false); !errors.As(err, &de) || de.Status != http.StatusNotFound {
		t.Errorf("filled in, unknown user: %v, want 404", err)
	}
}
