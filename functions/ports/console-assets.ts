/** One file of the officers' console, as served. */
export interface ConsoleAsset {
  contentType: string;
  body: string;
}

/** The console's page, and the files it loads by name (`/console/{asset}`). */
export interface ConsoleAssets {
  page: ConsoleAsset;
  files: ReadonlyMap<string, ConsoleAsset>;
}
