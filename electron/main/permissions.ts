import type { Session } from 'electron';
import { isAppUrl } from './ipc';

/** What `hardenSession` sets: a structural slice of Electron's Session, so a fake one can be tested. */
export type HardenableSession = Pick<
  Session,
  'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'
>;

/**
 * The one permission the window uses: the inspector's Copy buttons call `navigator.clipboard.writeText`,
 * which Chromium gates behind `clipboard-sanitized-write` (checked, then requested). Denying it would make
 * every Copy fail silently. Writing sanitized text needs a user gesture and reads nothing back, so it is
 * granted to our own page's main frame only; every other permission, and this one for any other origin or
 * a sub-frame, is denied.
 */
const CLIPBOARD_WRITE = 'clipboard-sanitized-write';

/**
 * Denies every permission request and check (camera, microphone, geolocation, notifications, clipboard
 * reads, openExternal, MIDI, HID / serial / USB devices, …) for a session. Kafka Desk needs none of them,
 * and Electron's default is to grant them all.
 */
export function hardenSession(session: HardenableSession): void {
  session.setPermissionRequestHandler((_webContents, permission, callback, details) => {
    callback(permission === CLIPBOARD_WRITE && details.isMainFrame && isAppUrl(details.requestingUrl));
  });
  session.setPermissionCheckHandler((_webContents, permission, requestingOrigin, details) => {
    return permission === CLIPBOARD_WRITE && details.isMainFrame && isAppUrl(requestingOrigin);
  });
  session.setDevicePermissionHandler(() => false);
}
