import { useState } from 'react';
import { Button, Input, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { usePasswordPolicy } from '../../api/hooks.ts';
import { generatePassword } from '../../auth/passwordPolicy.ts';

interface Props {
  id?: string;
  value?: string;
  onChange?: (value: string) => void;
}

/** A password field with a button that fills in (and shows) a random password meeting the policy. */
export function NewPasswordInput({ id, value, onChange }: Props) {
  const { t } = useTranslation();
  const policy = usePasswordPolicy();
  const [visible, setVisible] = useState(false);
  return (
    <Space.Compact block>
      <Input.Password
        id={id}
        value={value}
        onChange={(e) => onChange?.(e.target.value)}
        visibilityToggle={{ visible, onVisibleChange: setVisible }}
        autoComplete="new-password"
      />
      <Button
        onClick={() => {
          onChange?.(generatePassword(policy));
          setVisible(true);
        }}
      >
        {t('users.generate')}
      </Button>
    </Space.Compact>
  );
}
