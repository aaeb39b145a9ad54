import type { Logger } from 'pino';
import type { SmsSender } from '@wangge/core';
import { maskPhone } from '@wangge/db';

/**
 * The development SMS sender: writes each message to the log (phone masked) instead of sending it.
 * Production plugs in an operator's gateway (阿里云短信, 腾讯云短信, a carrier's SMPP gateway…) as
 * another class implementing SmsSender; the 'sms.send' job hands it the decrypted number.
 */
export class LoggingSmsSender implements SmsSender {
  private readonly log: Logger;

  constructor(logger: Logger) {
    this.log = logger.child({ module: 'sms' });
  }

  async send(phone: string, text: string): Promise<void> {
    this.log.info({ phone: maskPhone(phone), text }, 'sms (not sent: logging sender)');
  }
}
