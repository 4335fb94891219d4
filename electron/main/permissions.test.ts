import type { Session, WebContents } from 'electron';
import { describe, expect, it } from 'vitest';
import { hardenSession, type HardenableSession } from './permissions';

/** A fake session that keeps the handlers `hardenSession` installs (Electron grants everything without them). */
type RequestHandler = NonNullable<Parameters<Session['setPermissionRequestHandler']>[0]>;
type CheckHandler = NonNullable<Parameters<Session['setPermissionCheckHandler']>[0]>;
type DeviceHandler = NonNullable<Parameters<Session['setDevicePermissionHandler']>[0]>;
type RequestPermission = Parameters<RequestHandler>[1];
type CheckPermission = Parameters<CheckHandler>[1];

function hardened() {
  const set: { request?: RequestHandler | null; check?: CheckHandler | null; device?: DeviceHandler | null } = {};
  const session: HardenableSession = {
    setPermissionRequestHandler: (h) => void (set.request = h),
    setPermissionCheckHandler: (h) => void (set.check = h),
    setDevicePermissionHandler: (h) => void (set.device = h),
  };
  hardenSession(session);
  if (!set.request || !set.check || !set.device)
    throw new Error('hardenSession left a handler unset (Electron would grant)');
  const { request, check, device } = set;
  const contents = {} as WebContents;
  return {
    /** What the request handler answers; throws if it never answers (a request left hanging). */
    request(permission: RequestPermission, requestingUrl = 'https://attacker.example/', isMainFrame = true): boolean {
      let answer: boolean | undefined;
      request(contents, permission, (granted) => (answer = granted), { requestingUrl, isMainFrame });
      if (answer === undefined) throw new Error(`no answer for ${permission}`);
      return answer;
    },
    check(permission: CheckPermission, requestingOrigin = 'https://attacker.example', isMainFrame = true): boolean {
      return check(contents, permission, requestingOrigin, { isMainFrame });
    },
    device,
    requestHandler: request,
  };
}

const requested: RequestPermission[] = [
  'media',
  'geolocation',
  'notifications',
  'clipboard-read',
  'display-capture',
  'openExternal',
  'midi',
  'midiSysex',
  'pointerLock',
  'keyboardLock',
  'fullscreen',
  'idle-detection',
  'mediaKeySystem',
  'speaker-selection',
  'storage-access',
  'top-level-storage-access',
  'window-management',
  'fileSystem',
  'unknown',
];
const checked: CheckPermission[] = [
  'media',
  'geolocation',
  'notifications',
  'clipboard-read',
  'openExternal',
  'hid',
  'serial',
  'usb',
  'midi',
  'midiSysex',
  'pointerLock',
  'fullscreen',
  'idle-detection',
  'mediaKeySystem',
  'storage-access',
  'top-level-storage-access',
  'deprecated-sync-clipboard-read',
  'fileSystem',
];

describe('hardenSession (electron/main/permissions.ts)', () => {
  it.each(requested)('denies a %s request, from a foreign page and from our own window', (permission) => {
    const s = hardened();
    expect(s.request(permission)).toBe(false);
    expect(s.request(permission, 'app://kafka-desk/index.html')).toBe(false);
  });

  it.each(checked)('answers a %s check with "denied", from a foreign page and from our own window', (permission) => {
    const s = hardened();
    expect(s.check(permission)).toBe(false);
    expect(s.check(permission, 'app://kafka-desk')).toBe(false);
  });

  it('denies the camera and the microphone, whatever media a request names', () => {
    const s = hardened();
    for (const mediaTypes of [['video'], ['audio'], ['video', 'audio']] as const) {
      let answer: boolean | undefined;
      const details = {
        requestingUrl: 'app://kafka-desk/index.html',
        isMainFrame: true,
        securityOrigin: 'app://kafka-desk',
        mediaTypes: [...mediaTypes],
      };
      s.requestHandler({} as WebContents, 'media', (granted) => (answer = granted), details);
      expect(answer, mediaTypes.join('+')).toBe(false);
    }
  });

  it('denies every HID, serial and USB device', () => {
    const s = hardened();
    for (const deviceType of ['hid', 'serial', 'usb'] as const) {
      expect(s.device({ deviceType, origin: 'app://kafka-desk', device: {} as never })).toBe(false);
      expect(s.device({ deviceType, origin: 'https://attacker.example', device: {} as never })).toBe(false);
    }
  });

  it("lets only our own window's main frame write to the clipboard (the inspector's Copy buttons)", () => {
    const s = hardened();
    expect(s.check('clipboard-sanitized-write', 'app://kafka-desk')).toBe(true);
    expect(s.request('clipboard-sanitized-write', 'app://kafka-desk/index.html#/captures/1')).toBe(true);
    for (const origin of [
      'https://attacker.example',
      'app://kafka-desk.evil',
      'file:///tmp/evil.html',
      'app://user@kafka-desk',
      'null',
      '',
    ]) {
      expect(s.check('clipboard-sanitized-write', origin), origin).toBe(false);
      expect(s.request('clipboard-sanitized-write', origin), origin).toBe(false);
    }
    // a frame inside our page (there should be none) does not get it either
    expect(s.check('clipboard-sanitized-write', 'app://kafka-desk', false)).toBe(false);
    expect(s.request('clipboard-sanitized-write', 'app://kafka-desk/index.html', false)).toBe(false);
  });
});
