/** Kept equal to collectors/package.json's version (a test checks); sent in every heartbeat. */
export const AGENT_VERSION = '0.1.0';

export const USER_AGENT = `warden-node-agent/${AGENT_VERSION}`;
