import type { Logger } from 'pino';
import type { SmsSender } from '@wangge/core';
import { maskPhone } from '@wangge/db';

/**
 * The development SMS sender: writes each message to the log instead of sending it, with the phone
 * masked and any resident tracking code (查询码) starred out — the log is no place for either.
 * Production plugs in an operator's gateway (阿里云短信, 腾讯云短信, a carrier's SMPP gateway…) as
 * another class implementing SmsSender; the 'sms.send' job hands it the decrypted number.
 */
const TRACKING_CODE = /查询码\s*[A-Z2-9]{8}/g;

/** The text with every tracking code ('查询码 AB23CD45') replaced by '查询码 ********'. */
export const maskTrackingCodes = (text: string): string => text.replace(TRACKING_CODE, '查询码 ********');

export class LoggingSmsSender implements SmsSender {
  private readonly log: Logger;

  constructor(logger: Logger) {
    this.log = logger.child({ module: 'sms' });
  }

  async send(phone: string, text: string): Promise<void> {
    this.log.info({ phone: maskPhone(phone), text: maskTrackingCodes(text) }, 'sms (not sent: logging sender)');
  }
}
