// Package storetest is the conformance suite every webservice.Store runs,
// in the manner of testing/fstest: an implementation's test calls Run with a
// function that opens a fresh, empty store.
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) webservice.Store {
//			s, err := mystore.Open(...)
//			require.NoError(t, err)
//			return s
//		}, nil)
//	}
//
// The suite checks what devices depend on: 1,000 concurrent registrations
// lose none; re-registration is idempotent and a new push token replaces the
// old; tags are unique and strictly increasing under concurrent updates and
// Modified moves forward even within one second; a device holding a tag from
// before an update sees the pass; deletion cascades and the last
// unregistration removes the device; outbox entries are enqueued with the
// update, leased, lapse, complete and retry, and two concurrent claimers never
// get the same entry; APNs 410 clean-up keeps registrations made after the
// 410 timestamp; settings are written once.
package storetest
