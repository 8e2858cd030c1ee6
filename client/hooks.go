package client

import (
	"context"
	"errors"
	"net/http"
	"time"
)

// RequestEvent is passed to request hooks just before an attempt is sent.
type RequestEvent struct {
	// Attempt counts from 1.
	Attempt int
	// Request is the outgoing request. It carries the credential in its
	// headers: a hook may add headers but must not log them.
	Request *http.Request
}

// ResponseEvent is passed to response hooks after each attempt.
type ResponseEvent struct {
	// Attempt counts from 1.
	Attempt int
	// Request is the request that was sent.
	Request *http.Request
	// Response is the response, or nil when the attempt failed without one.
	// Its Body belongs to the client: hooks must not read or close it.
	Response *http.Response
	// Err is the transport error of an attempt without a response.
	Err error
	// Duration is the time from sending to receiving response headers or
	// the error, measured with the client's Clock.
	Duration time.Duration
}

// RetryEvent is passed to retry hooks before the client waits to retry.
type RetryEvent struct {
	// Method and Path name the request.
	Method, Path string
	// Attempt is the number of the attempt that failed, counting from 1.
	Attempt int
	// Wait is how long the client will sleep before the next attempt.
	Wait time.Duration
	// Err is why the attempt failed: an *APIError or a transport error.
	Err error
}

// hooks holds the callbacks registered with the With...Hook options.
type hooks struct {
	request  []func(context.Context, RequestEvent)
	response []func(context.Context, ResponseEvent)
	retry    []func(context.Context, RetryEvent)
}

// WithRequestHook adds f, called before every attempt, for example to add
// tracing headers. Hooks run in the calling goroutine, in the order added.
func WithRequestHook(f func(context.Context, RequestEvent)) Option {
	return func(c *Client) error {
		if f == nil {
			return errors.New("client: nil request hook")
		}
		c.hooks.request = append(c.hooks.request, f)
		return nil
	}
}

// WithResponseHook adds f, called after every attempt with its response
// or transport error, for example to record metrics.
func WithResponseHook(f func(context.Context, ResponseEvent)) Option {
	return func(c *Client) error {
		if f == nil {
			return errors.New("client: nil response hook")
		}
		c.hooks.response = append(c.hooks.response, f)
		return nil
	}
}

// WithRetryHook adds f, called each time the client decides to retry,
// before it sleeps.
func WithRetryHook(f func(context.Context, RetryEvent)) Option {
	return func(c *Client) error {
		if f == nil {
			return errors.New("client: nil retry hook")
		}
		c.hooks.retry = append(c.hooks.retry, f)
		return nil
	}
}
