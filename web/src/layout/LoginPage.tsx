import { Typography } from '@mui/material';
import { Login, LoginForm, PasswordInput, TextInput, required } from 'react-admin';

export function LoginPage() {
  return (
    <Login>
      <Typography variant="h5" align="center" sx={{ mt: 1 }}>
        Warden
      </Typography>
      <LoginForm>
        <TextInput source="email" type="email" autoComplete="username" validate={required()} autoFocus />
        <PasswordInput source="password" autoComplete="current-password" validate={required()} />
      </LoginForm>
    </Login>
  );
}
