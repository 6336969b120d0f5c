import type { OAuthFlow } from '../../protocol/oauthTypes';

export type { OAuthFlow };
export type TokenPersistence = 'memory' | 'session';
export type BasemapId = 'positron' | 'voyager' | 'dark-matter' | 'offline';

export interface ViewState {
  longitude: number;
  latitude: number;
  zoom: number;
  pitch: number;
  bearing: number;
}

export interface OAuthConfig {
  clientId: string;
  scopes: string[];
  authorizationServer: string;
  audience: string;
  organization: string;
  flow: OAuthFlow;
  forceOAuthLogin: boolean;
  persist: TokenPersistence;
}

export interface AppConfig {
  appName: string;
  oauth: OAuthConfig;
  apiBaseUrl: string;
  apiAccessToken: string;
  viewState: ViewState;
  basemap: BasemapId;
}
