import type { Page } from 'playwright-core';
import { DEMO_LOGIN } from '../../../emulator/config/demoLogin';

/** Clicks "Login with CARTO" and completes the emulator's login and consent in the popup. */
export async function loginThroughPopup(
  page: Page,
  {
    decision = 'Allow',
    loginButton = 'Login with CARTO',
  }: { decision?: 'Allow' | 'Deny'; loginButton?: string } = {},
) {
  const [popup] = await Promise.all([
    page.waitForEvent('popup'),
    page.getByRole('button', { name: loginButton }).first().click(),
  ]);
  // The window opens blank, then the app sends it to the authorization server.
  const password = popup.locator('#password');
  const consent = popup.getByRole('heading', { name: 'Allow access?' });
  await password.or(consent).waitFor({ timeout: 20_000 });
  if (await password.isVisible()) {
    await popup.fill('#email', DEMO_LOGIN.email);
    await popup.fill('#password', DEMO_LOGIN.password);
    await popup.click('button[type=submit]');
  }
  await popup.getByRole('button', { name: decision }).click();
  return popup;
}
