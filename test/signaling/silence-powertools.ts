// Imported first by tests that load the Lambda entry modules: their Powertools loggers read the level at import.
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
