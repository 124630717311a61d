import pytest

from neurotriage_train.requirements import MissingPackageError, require


def test_a_missing_module_names_its_debian_package() -> None:
    with pytest.raises(MissingPackageError, match=r"install Debian's python3-no_such_module_x"):
        require("no_such_module_x")


def test_torch_names_python3_torch() -> None:
    from neurotriage_train.requirements import missing_package_message

    assert "apt-get install -y python3-torch" in missing_package_message("torch")
