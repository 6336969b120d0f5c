/** The config's types, inferred from the one schema in configSchema.ts (type-only imports). */
import type * as v from 'valibot';
import type { OAuthFlow } from '../../protocol/oauthTypes';
import type { configSchema } from './configSchema';

export type AppConfig = v.InferOutput<typeof configSchema>;
export type OAuthConfig = AppConfig['oauth'];
export type ViewState = AppConfig['viewState'];
export type BasemapId = AppConfig['basemap'];
export type TokenPersistence = OAuthConfig['persist'];
export type { OAuthFlow };

/** Compile-time check: the schema's flows are exactly the protocol's `OAuthFlow`. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
/** @public Exported so that the compiler evaluates it. */
export type SchemaFlowIsProtocolFlow = Assert<Same<OAuthConfig['flow'], OAuthFlow>>;
