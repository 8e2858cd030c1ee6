package webservice

import (
	"context"
	"errors"
	"time"
)

// ErrNotFound is returned by a Store when the pass, setting or outbox entry
// asked for does not exist. Callers test for it with errors.Is.
var ErrNotFound = errors.New("webservice: not found")

// ErrExists is returned by Store.CreatePass when a pass with the same
// passTypeIdentifier and serialNumber already exists.
var ErrExists = errors.New("webservice: already exists")

// Pass is one pass the web service keeps up to date: its identifiers, the
// hash of its authenticationToken, the signed .pkpass of its current version
// and the application's own data.
type Pass struct {
	// PassTypeIdentifier is the pass's passTypeIdentifier (the APNs topic).
	PassTypeIdentifier string
	// SerialNumber is the pass's serialNumber.
	SerialNumber string
	// AuthTokenHash is the SHA-256 of the pass's authenticationToken (see
	// HashToken). Tokens are never stored in clear.
	AuthTokenHash []byte
	// Data is the signed .pkpass of the current version. It may be empty for
	// applications that build the pass when a device asks for it.
	Data []byte
	// AppData is opaque application data stored with the pass (for example
	// the holder's values as JSON). The store never interprets it.
	AppData []byte
	// Tag is the update tag of the current version: a number from the
	// store's own sequence, strictly increasing across all passes of the
	// store, never the wall clock. Set by the store.
	Tag int64
	// Modified is the time of the current version in whole seconds (HTTP
	// Last-Modified). Each version's Modified is strictly later than the
	// previous one's: max(now truncated to the second, previous + 1s). Set by
	// the store.
	Modified time.Time
	// Created is when the pass was created. Set by the store.
	Created time.Time
}

// Registration is one device registered for updates of one pass.
type Registration struct {
	// DeviceLibraryIdentifier identifies the device (Wallet's
	// deviceLibraryIdentifier).
	DeviceLibraryIdentifier string
	// PushToken is the device's APNs push token (hex).
	PushToken string
	// PassTypeIdentifier is the registered pass's passTypeIdentifier.
	PassTypeIdentifier string
	// SerialNumber is the registered pass's serialNumber.
	SerialNumber string
	// Registered is when the device last registered this pass (refreshed by
	// every register call, including idempotent ones). Set by the store; it
	// decides APNs 410 clean-ups (see Store.RemoveUnregistered).
	Registered time.Time
}

// UpdateOptions are per-call options of Store.UpdatePass. A nil
// *UpdateOptions is the same as the zero value.
type UpdateOptions struct {
	// Enqueue, when true, makes UpdatePass insert one outbox entry per
	// distinct push token registered for the pass, in the same transaction
	// as the update.
	Enqueue bool
}

// UpdateResult is what Store.UpdatePass stored and whom to notify.
type UpdateResult struct {
	// Pass is the pass as stored, with its new Tag and Modified.
	Pass *Pass
	// PushTokens are the distinct push tokens registered for the pass at the
	// time of the update, sorted. An application that does not use the
	// outbox sends its pushes to these.
	PushTokens []string
	// Queued is the number of outbox entries inserted (0 unless
	// UpdateOptions.Enqueue).
	Queued int
}

// OutboxEntry is one pending APNs push: "the pass with this topic changed,
// tell this push token". Entries are delivered at least once.
type OutboxEntry struct {
	// ID identifies the entry within the store.
	ID int64
	// PushToken is the device push token to notify.
	PushToken string
	// PassTypeIdentifier is the changed pass's passTypeIdentifier (the APNs
	// topic).
	PassTypeIdentifier string
	// SerialNumber is the changed pass's serialNumber.
	SerialNumber string
	// Attempts is the number of failed delivery attempts so far (bumped by
	// Store.Retry).
	Attempts int
	// LastError is the error of the last failed attempt, if any.
	LastError string
	// Created is when the entry was enqueued.
	Created time.Time
	// NextAttempt is the earliest time the entry may be claimed.
	NextAttempt time.Time
	// LeaseOwner is the owner holding the lease ("" if none).
	LeaseOwner string
	// LeaseUntil is when the lease lapses (zero if none).
	LeaseUntil time.Time
}

// Counts are the sizes of a store, for metrics.
type Counts struct {
	// Passes is the number of passes.
	Passes int64
	// Devices is the number of devices with at least one registration.
	Devices int64
	// Registrations is the number of (device, pass) registrations.
	Registrations int64
}

// Store keeps passes, devices, registrations, the push outbox and a few
// settings for the web service. Implementations must be safe for concurrent
// use by several goroutines and, where the database allows, several
// processes. Every implementation runs the conformance suite in package
// webservice/storetest.
//
// Errors are ErrNotFound and ErrExists where documented, the error returned
// by an UpdatePass callback unchanged, and wrapped database errors otherwise.
type Store interface {
	// CreatePass stores a new pass. PassTypeIdentifier, SerialNumber and a
	// 32-byte AuthTokenHash are required; Data and AppData may be empty. The
	// store sets p.Tag (a fresh tag), p.Modified (now, whole seconds) and
	// p.Created. A duplicate (passTypeIdentifier, serialNumber) gives
	// ErrExists.
	CreatePass(ctx context.Context, p *Pass) error

	// Pass returns the pass, or ErrNotFound. The caller must not write into
	// the returned byte slices (Data, AppData, AuthTokenHash): a store may
	// share them with a cache. Replacing them is fine.
	Pass(ctx context.Context, passTypeID, serial string) (*Pass, error)

	// UpdatePass changes a pass in one transaction: it reads the current row
	// under a write lock, calls fn (if not nil) with it, and stores the
	// changed Data, AppData and AuthTokenHash with a new Tag and a Modified
	// strictly later than the previous one. Changes fn makes to the other
	// fields are ignored. If fn returns an error, nothing is stored and
	// UpdatePass returns that error as is. With opts.Enqueue, one outbox
	// entry per distinct registered push token is inserted in the same
	// transaction. An unknown pass gives ErrNotFound.
	UpdatePass(ctx context.Context, passTypeID, serial string, opts *UpdateOptions, fn func(*Pass) error) (*UpdateResult, error)

	// DeletePass deletes a pass with its registrations and outbox entries,
	// and the devices left without registrations. An unknown pass gives
	// ErrNotFound.
	DeletePass(ctx context.Context, passTypeID, serial string) error

	// Register registers a device for a pass. created is true when the
	// registration is new (HTTP 201) and false when it already existed
	// (HTTP 200). The device's push token is set to r.PushToken, replacing
	// any previous token of that device; the registration time is refreshed.
	// An unknown pass gives ErrNotFound.
	Register(ctx context.Context, r Registration) (created bool, err error)

	// Unregister removes the registration of a device for a pass, and the
	// device when it was its last registration. removed reports whether a
	// registration existed; an unknown registration is not an error.
	Unregister(ctx context.Context, deviceID, passTypeID, serial string) (removed bool, err error)

	// UpdatedSince returns the serial numbers, sorted, of the passes of type
	// passTypeID registered by the device whose Tag is greater than since,
	// and the greatest Tag among them (0 when there are none). since <= 0,
	// or a since greater than any tag the store has issued (a tag it did not
	// issue), means every registered pass.
	//
	// A store must never return a latest tag while a transaction holding a
	// smaller tag may still commit (on PostgreSQL a SEQUENCE alone does not
	// guarantee this): the device would skip that pass forever.
	UpdatedSince(ctx context.Context, deviceID, passTypeID string, since int64) (serials []string, latest int64, err error)

	// PushTokens returns the distinct push tokens of the devices registered
	// for the pass, sorted. An unknown pass gives ErrNotFound.
	PushTokens(ctx context.Context, passTypeID, serial string) ([]string, error)

	// Registrations returns the registrations of the pass, sorted by
	// device. An unknown pass gives ErrNotFound.
	Registrations(ctx context.Context, passTypeID, serial string) ([]Registration, error)

	// RemoveUnregistered deletes the registrations of the devices holding
	// pushToken that were made (or last refreshed) before the time before —
	// APNs's 410 timestamp — and those devices when nothing is left. A
	// device that registered again after before keeps its registrations.
	// It returns the number of registrations removed.
	RemoveUnregistered(ctx context.Context, pushToken string, before time.Time) (int, error)

	// Claim leases up to limit outbox entries whose NextAttempt has come
	// and whose lease is free or has lapsed, to owner until now+lease, and
	// returns them oldest first. Two concurrent claimers never get the same
	// entry while its lease holds. limit <= 0 claims nothing.
	Claim(ctx context.Context, owner string, limit int, lease time.Duration) ([]OutboxEntry, error)

	// Complete deletes a delivered outbox entry. An unknown id gives
	// ErrNotFound.
	Complete(ctx context.Context, id int64) error

	// Retry releases an entry's lease, adds one to its Attempts, records
	// lastError and makes it claimable again at next. An unknown id gives
	// ErrNotFound.
	Retry(ctx context.Context, id int64, next time.Time, lastError string) error

	// OutboxDepth returns the number of outbox entries not yet completed.
	OutboxDepth(ctx context.Context) (int64, error)

	// Counts returns the numbers of passes, devices and registrations.
	Counts(ctx context.Context) (Counts, error)

	// Setting returns the value stored under key, or ErrNotFound.
	Setting(ctx context.Context, key string) ([]byte, error)

	// PutSettingIfAbsent stores value under key unless the key already has
	// a value, and returns the value stored afterwards (value, or the one
	// another caller stored first). Several instances calling it at once all
	// get the same answer.
	PutSettingIfAbsent(ctx context.Context, key string, value []byte) ([]byte, error)

	// Ping checks that the database answers.
	Ping(ctx context.Context) error

	// Close releases the store's resources.
	Close() error
}
