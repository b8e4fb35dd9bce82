'use client';

/** Last resort for a bug in the dashboard itself; collector failures are handled per widget. */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="banner error" role="alert">
      <div>
        <strong>This page failed to render</strong>
        {error.digest ? `Reference ${error.digest} in the dashboard server's log.` : error.message}
        <div style={{ marginTop: 8 }}>
          <button className="btn" type="button" onClick={reset}>
            Try again
          </button>
        </div>
      </div>
    </div>
  );
}
