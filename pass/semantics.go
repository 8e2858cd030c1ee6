package pass

import "encoding/json"

// Semantics is a semantics dictionary (SemanticTags, iOS 12+): machine-readable metadata Wallet uses for Siri
// suggestions, Live Activities, poster event tickets and semantic boarding passes. It may appear at the pass
// root or in a field. Unknown tags are kept in Extra (Wallet ignores them).
type Semantics struct {
	// Event tags (event tickets).

	// EventName is eventName, the full name of the event, such as the title of a movie or a concert. A poster event
	// ticket (iOS 18+) requires it and shows it as the ticket's title; elsewhere Siri suggestions and Maps use it.
	EventName string `json:"eventName,omitempty"`
	// EventType is eventType, the kind of event (PKEventType…, see the EventType constants). PKEventTypeSports and
	// PKEventTypeLivePerformance make a poster event ticket ask for team abbreviations or performerNames;
	// PKEventTypeMovie with silenceRequested lets Wallet suggest Do Not Disturb.
	EventType EventType `json:"eventType,omitempty"`
	// EventStartDate is eventStartDate, when the event starts, for any event ticket; Siri suggestions and the Do Not
	// Disturb suggestion use it. eventStartDateInfo (iOS 18+) can say more about the date.
	EventStartDate Date `json:"eventStartDate,omitzero"`
	// EventEndDate is eventEndDate, when the event ends; with eventStartDate it bounds the Do Not Disturb suggestion of
	// a movie ticket.
	EventEndDate Date `json:"eventEndDate,omitzero"`
	// EventStartDateInfo is eventStartDateInfo (iOS 18+), the start date with its own time zone, and whether the date
	// is announced or decided yet, for poster event tickets.
	EventStartDateInfo *EventDateInfo `json:"eventStartDateInfo,omitempty"`
	// VenueName is venueName, the full name of the venue ("Example Arena"). A poster event ticket (iOS 18+) requires it
	// and shows it under the event name.
	VenueName string `json:"venueName,omitempty"`
	// VenueLocation is venueLocation, the coordinates of the venue, which Siri suggestions use to offer directions;
	// also needed for the Do Not Disturb suggestion of a movie ticket.
	VenueLocation *SemanticLocation `json:"venueLocation,omitempty"`
	// VenueRoom is venueRoom, the room or hall of the venue where the event takes place. A poster event ticket (iOS
	// 18+) requires it.
	VenueRoom string `json:"venueRoom,omitempty"`
	// VenueRegionName is venueRegionName (iOS 18+), the city or region of the venue ("San Francisco, CA"). A poster
	// event ticket requires it and shows it with the venue name.
	VenueRegionName string `json:"venueRegionName,omitempty"`
	// VenuePhoneNumber is venuePhoneNumber, the phone number for questions about the venue.
	VenuePhoneNumber string `json:"venuePhoneNumber,omitempty"`
	// VenueEntrance is venueEntrance, the full name of the entrance the holder should use ("Gate A").
	VenueEntrance string `json:"venueEntrance,omitempty"`
	// VenueEntranceGate is venueEntranceGate (iOS 18+), the gate the holder should use to enter, shown on a poster
	// event ticket.
	VenueEntranceGate string `json:"venueEntranceGate,omitempty"`
	// VenueEntranceDoor is venueEntranceDoor (iOS 18+), the door the holder should use to enter, shown on a poster
	// event ticket.
	VenueEntranceDoor string `json:"venueEntranceDoor,omitempty"`
	// VenueEntrancePortal is venueEntrancePortal (iOS 18+), the portal (stadium tunnel or vomitory) the holder should
	// use, shown on a poster event ticket.
	VenueEntrancePortal string `json:"venueEntrancePortal,omitempty"`
	// EntranceDescription is entranceDescription (iOS 18+), free text on how to get in ("Use the north entrance on 1st
	// Street").
	EntranceDescription string `json:"entranceDescription,omitempty"`
	// VenueOpenDate is venueOpenDate (iOS 18+), when the venue opens, for poster event tickets.
	VenueOpenDate Date `json:"venueOpenDate,omitzero"`
	// VenueCloseDate is venueCloseDate (iOS 18+), when the venue closes, for poster event tickets.
	VenueCloseDate Date `json:"venueCloseDate,omitzero"`
	// VenueDoorsOpenDate is venueDoorsOpenDate (iOS 18+), when the doors open, for poster event tickets.
	VenueDoorsOpenDate Date `json:"venueDoorsOpenDate,omitzero"`
	// VenueGatesOpenDate is venueGatesOpenDate (iOS 18+), when the gates open, for poster event tickets.
	VenueGatesOpenDate Date `json:"venueGatesOpenDate,omitzero"`
	// VenueParkingLotsOpenDate is venueParkingLotsOpenDate (iOS 18+), when the parking lots open, for poster event
	// tickets.
	VenueParkingLotsOpenDate Date `json:"venueParkingLotsOpenDate,omitzero"`
	// VenueBoxOfficeOpenDate is venueBoxOfficeOpenDate (iOS 18+), when the box office opens, for poster event tickets.
	VenueBoxOfficeOpenDate Date `json:"venueBoxOfficeOpenDate,omitzero"`
	// VenueFanZoneOpenDate is venueFanZoneOpenDate (iOS 18+), when the fan zone opens, for poster event tickets.
	VenueFanZoneOpenDate Date `json:"venueFanZoneOpenDate,omitzero"`
	// VenuePlaceID is venuePlaceID, the MapKit Place ID of the venue. Undocumented: Wallet's validator knows it and
	// WWDC25 notes use it in upcomingPassInformation entries; treat it as experimental.
	VenuePlaceID string `json:"venuePlaceID,omitempty"`
	// AdmissionLevel is admissionLevel (iOS 18+), the kind of admission ("General Admission", "VIP"), shown on a poster
	// event ticket.
	AdmissionLevel string `json:"admissionLevel,omitempty"`
	// AdmissionLevelAbbreviation is admissionLevelAbbreviation (iOS 18+), a short form of admissionLevel ("GA") for
	// where space is tight.
	AdmissionLevelAbbreviation string `json:"admissionLevelAbbreviation,omitempty"`
	// AttendeeName is attendeeName (iOS 18+), the name of the person the ticket admits, shown on a poster event ticket.
	AttendeeName string `json:"attendeeName,omitempty"`
	// AdditionalTicketAttributes is additionalTicketAttributes (iOS 18+), ticket details no other key or tag holds
	// ("Includes parking"), shown on a poster event ticket.
	AdditionalTicketAttributes string `json:"additionalTicketAttributes,omitempty"`
	// TailgatingAllowed is tailgatingAllowed (iOS 18+): whether tailgating is allowed at the event; nil leaves the tag
	// out.
	TailgatingAllowed *bool `json:"tailgatingAllowed,omitempty"`
	// Genre is genre, the genre of the performance ("Classical", "Hip-hop").
	Genre string `json:"genre,omitempty"`
	// PerformerNames is performerNames, the full names of the performers and opening acts, headliner first. A poster
	// event ticket for a PKEventTypeLivePerformance requires it.
	PerformerNames []string `json:"performerNames,omitempty"`
	// ArtistIDs is artistIDs (iOS 18+), the Apple Music persistent IDs of the performers, so that Wallet can link to
	// their music; recommended for live performances.
	ArtistIDs []string `json:"artistIDs,omitempty"`
	// AlbumIDs is albumIDs (iOS 18+), the Apple Music persistent IDs of albums related to the event.
	AlbumIDs []string `json:"albumIDs,omitempty"`
	// PlaylistIDs is playlistIDs (iOS 18+), the Apple Music persistent IDs of playlists related to the event.
	PlaylistIDs []string `json:"playlistIDs,omitempty"`
	// EventLiveMessage is eventLiveMessage, a live status line for the event. Undocumented: known only from Wallet's
	// validator; treat it as experimental.
	EventLiveMessage string `json:"eventLiveMessage,omitempty"`

	// Sports tags.

	// HomeTeamName is homeTeamName, the full name of the home team ("Giants").
	HomeTeamName string `json:"homeTeamName,omitempty"`
	// HomeTeamLocation is homeTeamLocation, the home team's city or region ("San Francisco").
	HomeTeamLocation string `json:"homeTeamLocation,omitempty"`
	// HomeTeamAbbreviation is homeTeamAbbreviation, the home team's short code ("SF"). A poster event ticket for a
	// PKEventTypeSports event requires it and shows it in large type.
	HomeTeamAbbreviation string `json:"homeTeamAbbreviation,omitempty"`
	// AwayTeamName is awayTeamName, the full name of the visiting team.
	AwayTeamName string `json:"awayTeamName,omitempty"`
	// AwayTeamLocation is awayTeamLocation, the visiting team's city or region.
	AwayTeamLocation string `json:"awayTeamLocation,omitempty"`
	// AwayTeamAbbreviation is awayTeamAbbreviation, the visiting team's short code ("LA"). A poster event ticket for a
	// PKEventTypeSports event requires it and shows it in large type.
	AwayTeamAbbreviation string `json:"awayTeamAbbreviation,omitempty"`
	// LeagueName is leagueName, the full name of the league ("Major League Baseball").
	LeagueName string `json:"leagueName,omitempty"`
	// LeagueAbbreviation is leagueAbbreviation, the league's short name ("MLB").
	LeagueAbbreviation string `json:"leagueAbbreviation,omitempty"`
	// SportName is sportName, the sport played at the event ("Baseball"), for sports event tickets.
	SportName string `json:"sportName,omitempty"`

	// Transit tags (boarding passes).

	// TransitProvider is transitProvider, the name of the carrier (airline, rail or bus company) operating the trip.
	TransitProvider string `json:"transitProvider,omitempty"`
	// TransitStatus is transitStatus, the trip's current status ("On Time", "Delayed"); send a pass update when it
	// changes.
	TransitStatus string `json:"transitStatus,omitempty"`
	// TransitStatusReason is transitStatusReason, why the status is what it is ("Thunderstorms").
	TransitStatusReason string `json:"transitStatusReason,omitempty"`
	// VehicleName is vehicleName, the name of the vessel, train or aircraft ("Northern Star").
	VehicleName string `json:"vehicleName,omitempty"`
	// VehicleNumber is vehicleNumber, the identifier of the vehicle (a train or bus number, an aircraft registration).
	VehicleNumber string `json:"vehicleNumber,omitempty"`
	// VehicleType is vehicleType, the kind of vehicle ("Train", "Airbus A320").
	VehicleType string `json:"vehicleType,omitempty"`
	// BoardingGroup is boardingGroup, the group the passenger boards with ("Group 3").
	BoardingGroup string `json:"boardingGroup,omitempty"`
	// BoardingSequenceNumber is boardingSequenceNumber, the passenger's boarding sequence number ("042").
	BoardingSequenceNumber string `json:"boardingSequenceNumber,omitempty"`
	// BoardingZone is boardingZone (iOS 26+), the boarding zone a semantic boarding pass shows.
	BoardingZone string `json:"boardingZone,omitempty"`
	// ConfirmationNumber is confirmationNumber, the booking reference (record locator) of the trip.
	ConfirmationNumber string `json:"confirmationNumber,omitempty"`
	// DepartureLocation is departureLocation, the coordinates of the departure station or airport.
	DepartureLocation *SemanticLocation `json:"departureLocation,omitempty"`
	// DestinationLocation is destinationLocation, the coordinates of the arrival station or airport.
	DestinationLocation *SemanticLocation `json:"destinationLocation,omitempty"`
	// DepartureLocationDescription is departureLocationDescription, a name for the departure place ("San Francisco").
	DepartureLocationDescription string `json:"departureLocationDescription,omitempty"`
	// DestinationLocationDescription is destinationLocationDescription, a name for the arrival place ("Los Angeles").
	DestinationLocationDescription string `json:"destinationLocationDescription,omitempty"`
	// OriginalDepartureDate is originalDepartureDate, the scheduled departure time. A semantic boarding pass (iOS 26+)
	// requires it; Wallet compares it with currentDepartureDate to show a delay.
	OriginalDepartureDate Date `json:"originalDepartureDate,omitzero"`
	// OriginalBoardingDate is originalBoardingDate, the scheduled boarding time. A semantic boarding pass (iOS 26+)
	// requires it.
	OriginalBoardingDate Date `json:"originalBoardingDate,omitzero"`
	// OriginalArrivalDate is originalArrivalDate, the scheduled arrival time. A semantic boarding pass (iOS 26+)
	// requires it.
	OriginalArrivalDate Date `json:"originalArrivalDate,omitzero"`
	// CurrentDepartureDate is currentDepartureDate, the departure time as now expected; set it (with a pass update)
	// when it differs from originalDepartureDate.
	CurrentDepartureDate Date `json:"currentDepartureDate,omitzero"`
	// CurrentBoardingDate is currentBoardingDate, the boarding time as now expected; set it when it differs from
	// originalBoardingDate.
	CurrentBoardingDate Date `json:"currentBoardingDate,omitzero"`
	// CurrentArrivalDate is currentArrivalDate, the arrival time as now expected; set it when it differs from
	// originalArrivalDate.
	CurrentArrivalDate Date `json:"currentArrivalDate,omitzero"`
	// PassengerName is passengerName, the passenger's name in parts. A semantic boarding pass (iOS 26+) requires it.
	PassengerName *PersonNameComponents `json:"passengerName,omitempty"`
	// MembershipProgramName is membershipProgramName, the name of the passenger's loyalty or frequent-flyer programme.
	MembershipProgramName string `json:"membershipProgramName,omitempty"`
	// MembershipProgramNumber is membershipProgramNumber, the passenger's number in that programme.
	MembershipProgramNumber string `json:"membershipProgramNumber,omitempty"`
	// MembershipProgramStatus is membershipProgramStatus (iOS 26+), the passenger's tier in that programme ("Gold").
	MembershipProgramStatus string `json:"membershipProgramStatus,omitempty"`
	// PriorityStatus is priorityStatus, the passenger's priority level for the trip ("Priority", "Sky Priority").
	PriorityStatus string `json:"priorityStatus,omitempty"`
	// SecurityScreening is securityScreening, the security screening the passenger goes through ("TSA PreCheck").
	SecurityScreening string `json:"securityScreening,omitempty"`

	// Airline tags.

	// AirlineCode is airlineCode, the IATA code of the marketing airline ("EX"). A semantic boarding pass (iOS 26+)
	// requires it.
	AirlineCode string `json:"airlineCode,omitempty"`
	// FlightCode is flightCode, the full flight designator, airline code and number ("EX123").
	FlightCode string `json:"flightCode,omitempty"`
	// FlightNumber is flightNumber, the numeric part of the flight designator (123), a JSON number. A semantic boarding
	// pass (iOS 26+) requires it.
	FlightNumber *int64 `json:"flightNumber,omitempty"`
	// DepartureAirportCode is departureAirportCode, the IATA code of the departure airport ("SFO"), shown large on a
	// boarding pass. A semantic boarding pass (iOS 26+) requires it.
	DepartureAirportCode string `json:"departureAirportCode,omitempty"`
	// DepartureAirportName is departureAirportName, the full name of the departure airport ("San Francisco
	// International").
	DepartureAirportName string `json:"departureAirportName,omitempty"`
	// DestinationAirportCode is destinationAirportCode, the IATA code of the arrival airport ("LAX"). A semantic
	// boarding pass (iOS 26+) requires it.
	DestinationAirportCode string `json:"destinationAirportCode,omitempty"`
	// DestinationAirportName is destinationAirportName, the full name of the arrival airport.
	DestinationAirportName string `json:"destinationAirportName,omitempty"`
	// DepartureTerminal is departureTerminal, the terminal the flight leaves from ("2").
	DepartureTerminal string `json:"departureTerminal,omitempty"`
	// DestinationTerminal is destinationTerminal, the terminal the flight arrives at.
	DestinationTerminal string `json:"destinationTerminal,omitempty"`
	// DepartureGate is departureGate, the gate the flight leaves from ("B12"); update it with a pass update when it
	// changes.
	DepartureGate string `json:"departureGate,omitempty"`
	// DestinationGate is destinationGate, the gate the flight arrives at.
	DestinationGate string `json:"destinationGate,omitempty"`
	// DepartureCityName is departureCityName (iOS 26+), the city the flight leaves from, shown on a semantic boarding
	// pass, which requires it.
	DepartureCityName string `json:"departureCityName,omitempty"`
	// DestinationCityName is destinationCityName (iOS 26+), the city the flight arrives in, shown on a semantic
	// boarding pass, which requires it.
	DestinationCityName string `json:"destinationCityName,omitempty"`
	// DepartureLocationTimeZone is departureLocationTimeZone (iOS 26+), the IANA time zone of the departure airport
	// ("America/Los_Angeles"), in which Wallet shows departure times. A semantic boarding pass requires it.
	DepartureLocationTimeZone string `json:"departureLocationTimeZone,omitempty"`
	// DestinationLocationTimeZone is destinationLocationTimeZone (iOS 26+), the IANA time zone of the arrival airport,
	// in which Wallet shows arrival times. A semantic boarding pass requires it.
	DestinationLocationTimeZone string `json:"destinationLocationTimeZone,omitempty"`
	// DepartureLocationSecurityPrograms is departureLocationSecurityPrograms (iOS 26+), the security programmes (TSA
	// PreCheck, CLEAR…) the departure airport offers.
	DepartureLocationSecurityPrograms []SecurityProgram `json:"departureLocationSecurityPrograms,omitempty"`
	// DestinationLocationSecurityPrograms is destinationLocationSecurityPrograms (iOS 26+), the security programmes the
	// arrival airport offers.
	DestinationLocationSecurityPrograms []SecurityProgram `json:"destinationLocationSecurityPrograms,omitempty"`
	// PassengerEligibleSecurityPrograms is passengerEligibleSecurityPrograms (iOS 26+), the security programmes the
	// passenger may use, shown on a semantic boarding pass.
	PassengerEligibleSecurityPrograms []SecurityProgram `json:"passengerEligibleSecurityPrograms,omitempty"`
	// PassengerCapabilities is passengerCapabilities (iOS 26+), what the passenger is entitled to (preboarding,
	// priority boarding, carry-on, personal item, lap infant), shown on a semantic boarding pass.
	PassengerCapabilities []PassengerCapability `json:"passengerCapabilities,omitempty"`
	// PassengerAirlineSSRs is passengerAirlineSSRs (iOS 26+), the airline's own special service request codes for the
	// passenger.
	PassengerAirlineSSRs []string `json:"passengerAirlineSSRs,omitempty"`
	// PassengerInformationSSRs is passengerInformationSSRs (iOS 26+), IATA information SSR codes; Wallet displays INFT
	// (travelling with an infant).
	PassengerInformationSSRs []string `json:"passengerInformationSSRs,omitempty"`
	// PassengerServiceSSRs is passengerServiceSSRs (iOS 26+), IATA service SSR codes; Wallet displays PETC, SVAN, UMNR
	// and the wheelchair codes (WCHR, WCHS, WCHC…).
	PassengerServiceSSRs []string `json:"passengerServiceSSRs,omitempty"`
	// LoungePlaceIDs is loungePlaceIDs (iOS 26+), the MapKit Place IDs of the airport lounges the passenger may use.
	LoungePlaceIDs []string `json:"loungePlaceIDs,omitempty"`
	// TicketFareClass is ticketFareClass (iOS 26+), the fare class of the ticket ("Economy", "Business").
	TicketFareClass string `json:"ticketFareClass,omitempty"`
	// InternationalDocumentsAreVerified is internationalDocumentsAreVerified (iOS 26+): the airline has checked the
	// passenger's travel documents; nil leaves the tag out.
	InternationalDocumentsAreVerified *bool `json:"internationalDocumentsAreVerified,omitempty"`
	// InternationalDocumentsVerifiedDeclarationName is internationalDocumentsVerifiedDeclarationName (iOS 26+), the
	// text Wallet shows for that check ("Documents Verified").
	InternationalDocumentsVerifiedDeclarationName string `json:"internationalDocumentsVerifiedDeclarationName,omitempty"`

	// Rail tags.

	// CarNumber is carNumber, the number of the train car (coach) the passenger rides in.
	CarNumber string `json:"carNumber,omitempty"`
	// DeparturePlatform is departurePlatform, the platform the train leaves from; update it with a pass update when it
	// changes.
	DeparturePlatform string `json:"departurePlatform,omitempty"`
	// DestinationPlatform is destinationPlatform, the platform the train arrives at.
	DestinationPlatform string `json:"destinationPlatform,omitempty"`
	// DepartureStationName is departureStationName, the name of the station the train leaves from ("Paris Gare de
	// Lyon").
	DepartureStationName string `json:"departureStationName,omitempty"`
	// DestinationStationName is destinationStationName, the name of the station the train arrives at ("Lyon
	// Part-Dieu").
	DestinationStationName string `json:"destinationStationName,omitempty"`

	// Tags for boarding passes and events.

	// Seats is seats, the seats the pass is for (section, row, number…). Boarding passes and event tickets; a poster
	// event ticket shows them.
	Seats []Seat `json:"seats,omitempty"`
	// Duration is duration, the length of the event or trip in seconds, a JSON number; nil leaves the tag out.
	Duration *float64 `json:"duration,omitempty"`
	// SilenceRequested is silenceRequested: the holder is asked to silence their phone; with eventType PKEventTypeMovie
	// and the event dates and venueLocation, Wallet suggests Do Not Disturb. Nil leaves the tag out.
	SilenceRequested *bool `json:"silenceRequested,omitempty"`

	// Store card and any-pass tags.

	// Balance is balance, the current balance of a store card or gift card.
	Balance *CurrencyAmount `json:"balance,omitempty"`
	// TotalPrice is totalPrice, the total price paid for the pass (any style).
	TotalPrice *CurrencyAmount `json:"totalPrice,omitempty"`
	// WifiAccess is wifiAccess, the Wi-Fi networks that come with the pass (name and password of a conference or
	// on-board network), for any style.
	WifiAccess []WifiNetwork `json:"wifiAccess,omitempty"`

	// Extra holds semantic tags this package does not model, as read.
	Extra map[string]json.RawMessage `json:"-"`
}

// EventType is the semantic eventType (PKEventType…): the kind of event, which decides the extra tags a
// poster event ticket needs (sports: team abbreviations; live performance: performerNames).
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

// PassengerCapability is an entry of passengerCapabilities (iOS 26+): something the passenger is entitled to
// at boarding, shown on a semantic boarding pass.
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
	// CurrencyCode is currencyCode, the ISO 4217 code of the amount's currency ("USD"). Wallet requires it with amount.
	CurrencyCode string `json:"currencyCode"`
	// Extra holds keys this package does not model.
	Extra map[string]json.RawMessage `json:"-"`
}

// SemanticLocation is the Location semantic type: a point given by latitude and longitude (venueLocation,
// departureLocation, destinationLocation).
type SemanticLocation struct {
	// Latitude is latitude, the point's latitude in degrees north (-90 to 90). Required.
	Latitude float64 `json:"latitude"`
	// Longitude is longitude, the point's longitude in degrees east (-180 to 180). Required.
	Longitude float64 `json:"longitude"`
	// Extra holds keys this package does not model.
	Extra map[string]json.RawMessage `json:"-"`
}

// PersonNameComponents is the PersonNameComponents semantic type: a person's name in parts, given and family
// name first (passengerName).
type PersonNameComponents struct {
	// GivenName is givenName, the person's first name ("Jane").
	GivenName string `json:"givenName,omitempty"`
	// FamilyName is familyName, the person's last name ("Appleseed").
	FamilyName string `json:"familyName,omitempty"`
	// MiddleName is middleName, a name between the given and family names.
	MiddleName string `json:"middleName,omitempty"`
	// NamePrefix is namePrefix, a title before the name ("Dr.").
	NamePrefix string `json:"namePrefix,omitempty"`
	// NameSuffix is nameSuffix, a suffix after the name ("Jr.").
	NameSuffix string `json:"nameSuffix,omitempty"`
	// Nickname is nickname, the name the person goes by.
	Nickname string `json:"nickname,omitempty"`
	// PhoneticRepresentation is phoneticRepresentation, how the name is pronounced, for names whose spelling does not
	// say it.
	PhoneticRepresentation string `json:"phoneticRepresentation,omitempty"`
	// Extra holds keys this package does not model.
	Extra map[string]json.RawMessage `json:"-"`
}

// Seat is the Seat semantic type: one seat of the holder, by section, row and number or by identifier.
type Seat struct {
	// SeatSection is seatSection, the section of the venue or vehicle the seat is in ("100").
	SeatSection string `json:"seatSection,omitempty"`
	// SeatRow is seatRow, the seat's row ("J").
	SeatRow string `json:"seatRow,omitempty"`
	// SeatNumber is seatNumber, the seat's number within its row ("12"; on a plane "14A").
	SeatNumber string `json:"seatNumber,omitempty"`
	// SeatIdentifier is seatIdentifier, a code that names the seat on its own, for seats not numbered by section and
	// row.
	SeatIdentifier string `json:"seatIdentifier,omitempty"`
	// SeatType is seatType, the kind of seat ("Box", "Recliner", "Economy").
	SeatType string `json:"seatType,omitempty"`
	// SeatDescription is seatDescription, free text about the seat ("Wheelchair accessible").
	SeatDescription string `json:"seatDescription,omitempty"`
	// SeatAisle is seatAisle (iOS 18+), the aisle to take to the seat, shown on a poster event ticket.
	SeatAisle string `json:"seatAisle,omitempty"`
	// SeatLevel is seatLevel (iOS 18+), the level or tier of the venue the seat is on, shown on a poster event ticket.
	SeatLevel string `json:"seatLevel,omitempty"`
	// SeatSectionColor is seatSectionColor (iOS 18+), the colour of the seat's section as an rgb() colour; a poster
	// event ticket uses it to mark the seat information.
	SeatSectionColor Color `json:"seatSectionColor,omitempty"`
	// Extra holds keys this package does not model.
	Extra map[string]json.RawMessage `json:"-"`
}

// EventDateInfo is the EventDateInfo semantic type (iOS 18+): an event date with its time zone and whether it
// is known yet (eventStartDateInfo).
type EventDateInfo struct {
	// Date is date, when the event starts, a W3C date with a time zone.
	Date Date `json:"date,omitzero"`
	// TimeZone is timeZone, an IANA time zone identifier.
	TimeZone string `json:"timeZone,omitempty"`
	// IgnoreTimeComponents is ignoreTimeComponents: show only the day, not the time (the time is not known yet or does
	// not matter).
	IgnoreTimeComponents bool `json:"ignoreTimeComponents,omitempty"`
	// Unannounced is unannounced (iOS 18.1+): the date is not announced yet; Wallet shows that instead of date.
	Unannounced bool `json:"unannounced,omitempty"`
	// Undetermined is undetermined (iOS 18.1+): the date is not decided yet (to be determined); Wallet shows that
	// instead of date.
	Undetermined bool `json:"undetermined,omitempty"`
	// Extra holds keys this package does not model.
	Extra map[string]json.RawMessage `json:"-"`
}

// WifiNetwork is the WifiNetwork semantic type: a Wi-Fi network that comes with the pass (wifiAccess).
type WifiNetwork struct {
	// SSID is ssid, the name of the Wi-Fi network. Required.
	SSID string `json:"ssid"`
	// Password is password, the network's password. Required; it is stored in the pass in clear, like everything in
	// pass.json.
	Password string `json:"password"`
	// CaptiveToken is captiveToken, a token for a Wi-Fi network behind a captive portal. Its use is not described in
	// Apple's public documentation; set it only if your portal expects it.
	CaptiveToken string `json:"captiveToken,omitempty"`
	// CaptiveTokenAuthURL is captiveTokenAuthURL, the captive portal URL that goes with captiveToken. Its use is not
	// described in Apple's public documentation.
	CaptiveTokenAuthURL string `json:"captiveTokenAuthURL,omitempty"`
	// Extra holds keys this package does not model.
	Extra map[string]json.RawMessage `json:"-"`
}
