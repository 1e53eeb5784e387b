// Client configuration, read in one place. The app is served by the API's own
// server, so API paths are relative to the page unless VITE_API_BASE says otherwise.
export const API_BASE: string = (import.meta.env.VITE_API_BASE as string | undefined) ?? '';
