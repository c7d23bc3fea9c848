// `npm run sandbox`: starts the sandbox and prints its base URL and demo credentials.
export {};
