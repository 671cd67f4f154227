/**
 * Imported first by the reliability tests: the product logs every expected refusal at info/warn, which would
 * bury the figures. Powertools reads the level when the logger is built (and restores it on every invocation),
 * so it has to be in the environment before shared/observability/logger.ts loads.
 */
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
