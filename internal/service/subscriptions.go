package service

import (
	"context"
	"net/http"
	"slices"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/role"
	"github.com/okapi-dev/okapi/internal/store"
)

// unsubscribedKind marks, in role_objects, a notification type an admin unsubscribed from
// (Parent the user, ID the notification type).
const unsubscribedKind = "unsubscribed"

// errNotAdmin answers subscription calls for a user without an admin role: only admins get
// Okta's admin notifications.
var errNotAdmin = domain.NewError(http.StatusForbidden, domain.CodeForbidden, "You do not have permission to perform the requested action",
	domain.Cause{Summary: "Notification subscriptions belong to users with an admin role"})

func errUnknownNotification(t string) error {
	return domain.NotFound(t, "NotificationType")
}

// adminUser returns the user if they hold an admin role directly.
func (s *Service) adminUser(ctx context.Context, r store.Reader, org, userID string) (domain.User, error) {
	u, err := r.GetUser(ctx, org, userID)
	if err != nil {
		return u, err
	}
	roles, err := r.ListRoleObjects(ctx, org, roleUser, u.ID, "*")
	if err != nil {
		return u, err
	}
	if len(roles) == 0 {
		return u, errNotAdmin
	}
	return u, nil
}

// UserSubscriptions lists an admin's notification subscriptions (listSubscriptionsUser).
func (s *Service) UserSubscriptions(ctx context.Context, userID string) ([]role.Subscription, error) {
	org := orgID(ctx)
	u, err := s.adminUser(ctx, s.Store, org, userID)
	if err != nil {
		return nil, err
	}
	off, err := s.Store.ListRoleObjects(ctx, org, unsubscribedKind, u.ID, "*")
	if err != nil {
		return nil, err
	}
	out := make([]role.Subscription, len(role.NotificationTypes))
	for i, t := range role.NotificationTypes {
		status := "subscribed"
		if slices.ContainsFunc(off, func(o store.RoleObject) bool { return o.ID == t }) {
			status = "unsubscribed"
		}
		out[i] = role.Subscription{NotificationType: t, Channels: []string{"email"}, Status: status}
	}
	return out, nil
}

// UserSubscription returns one of them (getSubscriptionsNotificationTypeUser).
func (s *Service) UserSubscription(ctx context.Context, userID, notificationType string) (role.Subscription, error) {
	all, err := s.UserSubscriptions(ctx, userID)
	if err != nil {
		return role.Subscription{}, err
	}
	for _, sub := range all {
		if sub.NotificationType == notificationType {
			return sub, nil
		}
	}
	return role.Subscription{}, errUnknownNotification(notificationType)
}

// SetUserSubscription subscribes or unsubscribes an admin (subscribeByNotificationTypeUser,
// unsubscribeByNotificationTypeUser).
func (s *Service) SetUserSubscription(ctx context.Context, userID, notificationType string, subscribed bool) error {
	if !slices.Contains(role.NotificationTypes, notificationType) {
		return errUnknownNotification(notificationType)
	}
	org, now := orgID(ctx), s.now(ctx)
	return s.update(ctx, func(tx store.Tx) error {
		u, err := s.adminUser(ctx, tx, org, userID)
		if err != nil {
			return err
		}
		if subscribed {
			if err := tx.DeleteRoleObjects(ctx, org, unsubscribedKind, u.ID, notificationType); err != nil {
				return err
			}
		} else if err := tx.PutRoleObject(ctx, org, store.RoleObject{Kind: unsubscribedKind, Parent: u.ID, ID: notificationType, Data: []byte(`{}`), Created: now.Millis()}); err != nil {
			return err
		}
		typ, msg := "system.notification.subscribe", "Subscribe to notification"
		if !subscribed {
			typ, msg = "system.notification.unsubscribe", "Unsubscribe from notification"
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, typ, msg, u.LogTarget()))
	})
}
