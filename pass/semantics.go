package pass

import "encoding/json"

// Semantics is a semantics dictionary (SemanticTags): machine-readable metadata Wallet uses for Siri
// suggestions, Live Activities, poster event tickets and semantic boarding passes. It may appear at the pass
// root or in a field. Unknown tags are kept in Extra (Wallet ignores them).
type Semantics struct {
	// Event tags (event tickets).

	// EventName is eventName.
	EventName string `json:"eventName,omitempty"`
	// EventType is eventType.
	EventType EventType `json:"eventType,omitempty"`
	// EventStartDate is eventStartDate.
	EventStartDate Date `json:"eventStartDate,omitzero"`
	// EventEndDate is eventEndDate.
	EventEndDate Date `json:"eventEndDate,omitzero"`
	// EventStartDateInfo is eventStartDateInfo.
	EventStartDateInfo *EventDateInfo `json:"eventStartDateInfo,omitempty"`
	// VenueName is venueName.
	VenueName string `json:"venueName,omitempty"`
	// VenueLocation is venueLocation.
	VenueLocation *SemanticLocation `json:"venueLocation,omitempty"`
	// VenueRoom is venueRoom.
	VenueRoom string `json:"venueRoom,omitempty"`
	// VenueRegionName is venueRegionName.
	VenueRegionName string `json:"venueRegionName,omitempty"`
	// VenuePhoneNumber is venuePhoneNumber.
	VenuePhoneNumber string `json:"venuePhoneNumber,omitempty"`
	// VenueEntrance is venueEntrance.
	VenueEntrance string `json:"venueEntrance,omitempty"`
	// VenueEntranceGate is venueEntranceGate.
	VenueEntranceGate string `json:"venueEntranceGate,omitempty"`
	// VenueEntranceDoor is venueEntranceDoor.
	VenueEntranceDoor string `json:"venueEntranceDoor,omitempty"`
	// VenueEntrancePortal is venueEntrancePortal.
	VenueEntrancePortal string `json:"venueEntrancePortal,omitempty"`
	// EntranceDescription is entranceDescription.
	EntranceDescription string `json:"entranceDescription,omitempty"`
	// VenueOpenDate is venueOpenDate.
	VenueOpenDate Date `json:"venueOpenDate,omitzero"`
	// VenueCloseDate is venueCloseDate.
	VenueCloseDate Date `json:"venueCloseDate,omitzero"`
	// VenueDoorsOpenDate is venueDoorsOpenDate.
	VenueDoorsOpenDate Date `json:"venueDoorsOpenDate,omitzero"`
	// VenueGatesOpenDate is venueGatesOpenDate.
	VenueGatesOpenDate Date `json:"venueGatesOpenDate,omitzero"`
	// VenueParkingLotsOpenDate is venueParkingLotsOpenDate.
	VenueParkingLotsOpenDate Date `json:"venueParkingLotsOpenDate,omitzero"`
	// VenueBoxOfficeOpenDate is venueBoxOfficeOpenDate.
	VenueBoxOfficeOpenDate Date `json:"venueBoxOfficeOpenDate,omitzero"`
	// VenueFanZoneOpenDate is venueFanZoneOpenDate.
	VenueFanZoneOpenDate Date `json:"venueFanZoneOpenDate,omitzero"`
	// VenuePlaceID is venuePlaceID.
	VenuePlaceID string `json:"venuePlaceID,omitempty"`
	// AdmissionLevel is admissionLevel.
	AdmissionLevel string `json:"admissionLevel,omitempty"`
	// AdmissionLevelAbbreviation is admissionLevelAbbreviation.
	AdmissionLevelAbbreviation string `json:"admissionLevelAbbreviation,omitempty"`
	// AttendeeName is attendeeName.
	AttendeeName string `json:"attendeeName,omitempty"`
	// AdditionalTicketAttributes is additionalTicketAttributes.
	AdditionalTicketAttributes string `json:"additionalTicketAttributes,omitempty"`
	// TailgatingAllowed is tailgatingAllowed.
	TailgatingAllowed *bool `json:"tailgatingAllowed,omitempty"`
	// Genre is genre.
	Genre string `json:"genre,omitempty"`
	// PerformerNames is performerNames.
	PerformerNames []string `json:"performerNames,omitempty"`
	// ArtistIDs is artistIDs.
	ArtistIDs []string `json:"artistIDs,omitempty"`
	// AlbumIDs is albumIDs.
	AlbumIDs []string `json:"albumIDs,omitempty"`
	// PlaylistIDs is playlistIDs.
	PlaylistIDs []string `json:"playlistIDs,omitempty"`
	// EventLiveMessage is eventLiveMessage.
	EventLiveMessage string `json:"eventLiveMessage,omitempty"`

	// Sports tags.

	// HomeTeamName is homeTeamName.
	HomeTeamName string `json:"homeTeamName,omitempty"`
	// HomeTeamLocation is homeTeamLocation.
	HomeTeamLocation string `json:"homeTeamLocation,omitempty"`
	// HomeTeamAbbreviation is homeTeamAbbreviation.
	HomeTeamAbbreviation string `json:"homeTeamAbbreviation,omitempty"`
	// AwayTeamName is awayTeamName.
	AwayTeamName string `json:"awayTeamName,omitempty"`
	// AwayTeamLocation is awayTeamLocation.
	AwayTeamLocation string `json:"awayTeamLocation,omitempty"`
	// AwayTeamAbbreviation is awayTeamAbbreviation.
	AwayTeamAbbreviation string `json:"awayTeamAbbreviation,omitempty"`
	// LeagueName is leagueName.
	LeagueName string `json:"leagueName,omitempty"`
	// LeagueAbbreviation is leagueAbbreviation.
	LeagueAbbreviation string `json:"leagueAbbreviation,omitempty"`
	// SportName is sportName.
	SportName string `json:"sportName,omitempty"`

	// Transit tags (boarding passes).

	// TransitProvider is transitProvider.
	TransitProvider string `json:"transitProvider,omitempty"`
	// TransitStatus is transitStatus.
	TransitStatus string `json:"transitStatus,omitempty"`
	// TransitStatusReason is transitStatusReason.
	TransitStatusReason string `json:"transitStatusReason,omitempty"`
	// VehicleName is vehicleName.
	VehicleName string `json:"vehicleName,omitempty"`
	// VehicleNumber is vehicleNumber.
	VehicleNumber string `json:"vehicleNumber,omitempty"`
	// VehicleType is vehicleType.
	VehicleType string `json:"vehicleType,omitempty"`
	// BoardingGroup is boardingGroup.
	BoardingGroup string `json:"boardingGroup,omitempty"`
	// BoardingSequenceNumber is boardingSequenceNumber.
	BoardingSequenceNumber string `json:"boardingSequenceNumber,omitempty"`
	// BoardingZone is boardingZone.
	BoardingZone string `json:"boardingZone,omitempty"`
	// ConfirmationNumber is confirmationNumber.
	ConfirmationNumber string `json:"confirmationNumber,omitempty"`
	// DepartureLocation is departureLocation.
	DepartureLocation *SemanticLocation `json:"departureLocation,omitempty"`
	// DestinationLocation is destinationLocation.
	DestinationLocation *SemanticLocation `json:"destinationLocation,omitempty"`
	// DepartureLocationDescription is departureLocationDescription.
	DepartureLocationDescription string `json:"departureLocationDescription,omitempty"`
	// DestinationLocationDescription is destinationLocationDescription.
	DestinationLocationDescription string `json:"destinationLocationDescription,omitempty"`
	// OriginalDepartureDate is originalDepartureDate.
	OriginalDepartureDate Date `json:"originalDepartureDate,omitzero"`
	// OriginalBoardingDate is originalBoardingDate.
	OriginalBoardingDate Date `json:"originalBoardingDate,omitzero"`
	// OriginalArrivalDate is originalArrivalDate.
	OriginalArrivalDate Date `json:"originalArrivalDate,omitzero"`
	// CurrentDepartureDate is currentDepartureDate.
	CurrentDepartureDate Date `json:"currentDepartureDate,omitzero"`
	// CurrentBoardingDate is currentBoardingDate.
	CurrentBoardingDate Date `json:"currentBoardingDate,omitzero"`
	// CurrentArrivalDate is currentArrivalDate.
	CurrentArrivalDate Date `json:"currentArrivalDate,omitzero"`
	// PassengerName is passengerName.
	PassengerName *PersonNameComponents `json:"passengerName,omitempty"`
	// MembershipProgramName is membershipProgramName.
	MembershipProgramName string `json:"membershipProgramName,omitempty"`
	// MembershipProgramNumber is membershipProgramNumber.
	MembershipProgramNumber string `json:"membershipProgramNumber,omitempty"`
	// MembershipProgramStatus is membershipProgramStatus.
	MembershipProgramStatus string `json:"membershipProgramStatus,omitempty"`
	// PriorityStatus is priorityStatus.
	PriorityStatus string `json:"priorityStatus,omitempty"`
	// SecurityScreening is securityScreening.
	SecurityScreening string `json:"securityScreening,omitempty"`

	// Airline tags.

	// AirlineCode is airlineCode.
	AirlineCode string `json:"airlineCode,omitempty"`
	// FlightCode is flightCode.
	FlightCode string `json:"flightCode,omitempty"`
	// FlightNumber is flightNumber.
	FlightNumber *int64 `json:"flightNumber,omitempty"`
	// DepartureAirportCode is departureAirportCode.
	DepartureAirportCode string `json:"departureAirportCode,omitempty"`
	// DepartureAirportName is departureAirportName.
	DepartureAirportName string `json:"departureAirportName,omitempty"`
	// DestinationAirportCode is destinationAirportCode.
	DestinationAirportCode string `json:"destinationAirportCode,omitempty"`
	// DestinationAirportName is destinationAirportName.
	DestinationAirportName string `json:"destinationAirportName,omitempty"`
	// DepartureTerminal is departureTerminal.
	DepartureTerminal string `json:"departureTerminal,omitempty"`
	// DestinationTerminal is destinationTerminal.
	DestinationTerminal string `json:"destinationTerminal,omitempty"`
	// DepartureGate is departureGate.
	DepartureGate string `json:"departureGate,omitempty"`
	// DestinationGate is destinationGate.
	DestinationGate string `json:"destinationGate,omitempty"`
	// DepartureCityName is departureCityName.
	DepartureCityName string `json:"departureCityName,omitempty"`
	// DestinationCityName is destinationCityName.
	DestinationCityName string `json:"destinationCityName,omitempty"`
	// DepartureLocationTimeZone is departureLocationTimeZone.
	DepartureLocationTimeZone string `json:"departureLocationTimeZone,omitempty"`
	// DestinationLocationTimeZone is destinationLocationTimeZone.
	DestinationLocationTimeZone string `json:"destinationLocationTimeZone,omitempty"`
	// DepartureLocationSecurityPrograms is departureLocationSecurityPrograms.
	DepartureLocationSecurityPrograms []SecurityProgram `json:"departureLocationSecurityPrograms,omitempty"`
	// DestinationLocationSecurityPrograms is destinationLocationSecurityPrograms.
	DestinationLocationSecurityPrograms []SecurityProgram `json:"destinationLocationSecurityPrograms,omitempty"`
	// PassengerEligibleSecurityPrograms is passengerEligibleSecurityPrograms.
	PassengerEligibleSecurityPrograms []SecurityProgram `json:"passengerEligibleSecurityPrograms,omitempty"`
	// PassengerCapabilities is passengerCapabilities.
	PassengerCapabilities []PassengerCapability `json:"passengerCapabilities,omitempty"`
	// PassengerAirlineSSRs is passengerAirlineSSRs.
	PassengerAirlineSSRs []string `json:"passengerAirlineSSRs,omitempty"`
	// PassengerInformationSSRs is passengerInformationSSRs.
	PassengerInformationSSRs []string `json:"passengerInformationSSRs,omitempty"`
	// PassengerServiceSSRs is passengerServiceSSRs.
	PassengerServiceSSRs []string `json:"passengerServiceSSRs,omitempty"`
	// LoungePlaceIDs is loungePlaceIDs.
	LoungePlaceIDs []string `json:"loungePlaceIDs,omitempty"`
	// TicketFareClass is ticketFareClass.
	TicketFareClass string `json:"ticketFareClass,omitempty"`
	// InternationalDocumentsAreVerified is internationalDocumentsAreVerified.
	InternationalDocumentsAreVerified *bool `json:"internationalDocumentsAreVerified,omitempty"`
	// InternationalDocumentsVerifiedDeclarationName is internationalDocumentsVerifiedDeclarationName.
	InternationalDocumentsVerifiedDeclarationName string `json:"internationalDocumentsVerifiedDeclarationName,omitempty"`

	// Rail tags.

	// CarNumber is carNumber.
	CarNumber string `json:"carNumber,omitempty"`
	// DeparturePlatform is departurePlatform.
	DeparturePlatform string `json:"departurePlatform,omitempty"`
	// DestinationPlatform is destinationPlatform.
	DestinationPlatform string `json:"destinationPlatform,omitempty"`
	// DepartureStationName is departureStationName.
	DepartureStationName string `json:"departureStationName,omitempty"`
	// DestinationStationName is destinationStationName.
	DestinationStationName string `json:"destinationStationName,omitempty"`

	// Tags for boarding passes and events.

	// Seats is seats.
	Seats []Seat `json:"seats,omitempty"`
	// Duration is duration.
	Duration *float64 `json:"duration,omitempty"`
	// SilenceRequested is silenceRequested.
	SilenceRequested *bool `json:"silenceRequested,omitempty"`

	// Store card and any-pass tags.

	// Balance is balance.
	Balance *CurrencyAmount `json:"balance,omitempty"`
	// TotalPrice is totalPrice.
	TotalPrice *CurrencyAmount `json:"totalPrice,omitempty"`
	// WifiAccess is wifiAccess.
	WifiAccess []WifiNetwork `json:"wifiAccess,omitempty"`

	// Extra holds semantic tags this package does not model, as read.
	Extra map[string]json.RawMessage `json:"-"`
}

// EventType is the semantic eventType.
type EventType string

// The event types.
const (
	EventTypeGeneric         EventType = "PKEventTypeGeneric"
	EventTypeLivePerformance EventType = "PKEventTypeLivePerformance"
	EventTypeMovie           EventType = "PKEventTypeMovie"
	EventTypeSports          EventType = "PKEventTypeSports"
	EventTypeConference      EventType = "PKEventTypeConference"
	EventTypeConvention      EventType = "PKEventTypeConvention"
	EventTypeWorkshop        EventType = "PKEventTypeWorkshop"
	EventTypeSocialGathering EventType = "PKEventTypeSocialGathering"
)

// SecurityProgram is an entry of the security-program semantic lists.
type SecurityProgram string

// The security programs.
const (
	SecurityProgramTSAPreCheck            SecurityProgram = "PKTransitSecurityProgramTSAPreCheck"
	SecurityProgramTSAPreCheckTouchlessID SecurityProgram = "PKTransitSecurityProgramTSAPreCheckTouchlessID"
	SecurityProgramOSS                    SecurityProgram = "PKTransitSecurityProgramOSS"
	SecurityProgramITI                    SecurityProgram = "PKTransitSecurityProgramITI"
	SecurityProgramITD                    SecurityProgram = "PKTransitSecurityProgramITD"
	SecurityProgramGlobalEntry            SecurityProgram = "PKTransitSecurityProgramGlobalEntry"
	SecurityProgramCLEAR                  SecurityProgram = "PKTransitSecurityProgramCLEAR"
)

// PassengerCapability is an entry of passengerCapabilities.
type PassengerCapability string

// The passenger capabilities.
const (
	PassengerCapabilityPreboarding      PassengerCapability = "PKPassengerCapabilityPreboarding"
	PassengerCapabilityPriorityBoarding PassengerCapability = "PKPassengerCapabilityPriorityBoarding"
	PassengerCapabilityCarryon          PassengerCapability = "PKPassengerCapabilityCarryon"
	PassengerCapabilityPersonalItem     PassengerCapability = "PKPassengerCapabilityPersonalItem"
	PassengerCapabilityLapInfant        PassengerCapability = "PKPassengerCapabilityLapInfant"
)

// CurrencyAmount is the CurrencyAmount semantic type. Wallet requires both keys.
type CurrencyAmount struct {
	// Amount is amount, a decimal number written as a string ("12.50").
	Amount string `json:"amount"`
	// CurrencyCode is currencyCode, an ISO 4217 code.
	CurrencyCode string `json:"currencyCode"`
	// Extra holds keys this package does not model.
	Extra map[string]json.RawMessage `json:"-"`
}

// SemanticLocation is the Location semantic type.
type SemanticLocation struct {
	// Latitude is latitude, in degrees.
	Latitude float64 `json:"latitude"`
	// Longitude is longitude, in degrees.
	Longitude float64 `json:"longitude"`
	// Extra holds keys this package does not model.
	Extra map[string]json.RawMessage `json:"-"`
}

// PersonNameComponents is the PersonNameComponents semantic type.
type PersonNameComponents struct {
	// GivenName is givenName.
	GivenName string `json:"givenName,omitempty"`
	// FamilyName is familyName.
	FamilyName string `json:"familyName,omitempty"`
	// MiddleName is middleName.
	MiddleName string `json:"middleName,omitempty"`
	// NamePrefix is namePrefix.
	NamePrefix string `json:"namePrefix,omitempty"`
	// NameSuffix is nameSuffix.
	NameSuffix string `json:"nameSuffix,omitempty"`
	// Nickname is nickname.
	Nickname string `json:"nickname,omitempty"`
	// PhoneticRepresentation is phoneticRepresentation.
	PhoneticRepresentation string `json:"phoneticRepresentation,omitempty"`
	// Extra holds keys this package does not model.
	Extra map[string]json.RawMessage `json:"-"`
}

// Seat is the Seat semantic type.
type Seat struct {
	// SeatSection is seatSection.
	SeatSection string `json:"seatSection,omitempty"`
	// SeatRow is seatRow.
	SeatRow string `json:"seatRow,omitempty"`
	// SeatNumber is seatNumber.
	SeatNumber string `json:"seatNumber,omitempty"`
	// SeatIdentifier is seatIdentifier.
	SeatIdentifier string `json:"seatIdentifier,omitempty"`
	// SeatType is seatType.
	SeatType string `json:"seatType,omitempty"`
	// SeatDescription is seatDescription.
	SeatDescription string `json:"seatDescription,omitempty"`
	// SeatAisle is seatAisle (iOS 18).
	SeatAisle string `json:"seatAisle,omitempty"`
	// SeatLevel is seatLevel (iOS 18).
	SeatLevel string `json:"seatLevel,omitempty"`
	// SeatSectionColor is seatSectionColor (iOS 18), an rgb() colour.
	SeatSectionColor Color `json:"seatSectionColor,omitempty"`
	// Extra holds keys this package does not model.
	Extra map[string]json.RawMessage `json:"-"`
}

// EventDateInfo is the EventDateInfo semantic type (iOS 18+).
type EventDateInfo struct {
	// Date is date.
	Date Date `json:"date,omitzero"`
	// TimeZone is timeZone, an IANA time zone identifier.
	TimeZone string `json:"timeZone,omitempty"`
	// IgnoreTimeComponents is ignoreTimeComponents.
	IgnoreTimeComponents bool `json:"ignoreTimeComponents,omitempty"`
	// Unannounced is unannounced (iOS 18.1).
	Unannounced bool `json:"unannounced,omitempty"`
	// Undetermined is undetermined (iOS 18.1).
	Undetermined bool `json:"undetermined,omitempty"`
	// Extra holds keys this package does not model.
	Extra map[string]json.RawMessage `json:"-"`
}

// WifiNetwork is the WifiNetwork semantic type.
type WifiNetwork struct {
	// SSID is ssid.
	SSID string `json:"ssid"`
	// Password is password.
	Password string `json:"password"`
	// CaptiveToken is captiveToken.
	CaptiveToken string `json:"captiveToken,omitempty"`
	// CaptiveTokenAuthURL is captiveTokenAuthURL.
	CaptiveTokenAuthURL string `json:"captiveTokenAuthURL,omitempty"`
	// Extra holds keys this package does not model.
	Extra map[string]json.RawMessage `json:"-"`
}
